"""Staff pages of review that apps above it may add to (common.panels)."""

from common.panels import Panels

# Drawn on the cohort page, below its title: context(request=, cohort=).
COHORT_PAGE = Panels("review.cohort_page")
# Drawn at the end of a student's drill-down: context(request=, enrollment=).
STUDENT_PAGE = Panels("review.student_page")
