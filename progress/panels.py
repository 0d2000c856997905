"""Pages of progress that apps above it may add to (common.panels): the student's dashboard."""

from common.panels import Panels

# Drawn below the dashboard's cached content, for each request: context(request=, enrollment=).
DASHBOARD = Panels("progress.dashboard")
