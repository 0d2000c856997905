"""Pages of progress that apps above it may add to (common.panels): the student's dashboard and calendar feed."""

from collections.abc import Callable, Iterable

from common.panels import Panels

# Drawn below the dashboard's cached content: context(request=, enrollment=). The drawing is kept for up to a
# minute under the student's version (views.dashboard.PANELS_CACHE_SECONDS): a panel whose content the student's
# own action changes moves that version in the action's transaction (services.versions.dashboard_version_bump).
# A panel draws no form: a CSRF token kept in a drawing would not fit the student's other sessions.
DASHBOARD = Panels("progress.dashboard")
# Drawn at the end of the profile page: context(request=, enrollment=).
PROFILE = Panels("progress.profile")


class CalendarParts:
    """More components for a student's calendar feed: each part(enrollment=, site_url=, now=) gives icalendar events."""

    def __init__(self):
        self._parts: dict[str, Callable[..., Iterable]] = {}

    def register(self, key: str, part: Callable[..., Iterable]) -> None:
        self._parts[key] = part

    def components(self, **kwargs) -> list:
        return [component for part in self._parts.values() for component in part(**kwargs)]


CALENDAR = CalendarParts()
