"""Staff pages of review that apps above it may add to (common.panels)."""

from common.panels import Panels

# Rendered on the cohort page, below its title: context(request=, cohort=).
COHORT_PAGE = Panels("review.cohort_page")
# Rendered at the end of a student's drill-down: context(request=, enrollment=).
STUDENT_PAGE = Panels("review.student_page")
# Rendered at the end of a mentor's page (/mentor/): context(request=, group_ids=).
MENTOR_PAGE = Panels("review.mentor_page")
