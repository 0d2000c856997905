"""Pages of progress that apps above it may add to (common.panels): the student's dashboard and calendar feed."""

from collections.abc import Callable, Iterable

from common.panels import Panels

# Rendered below the dashboard's numbers on every view: context(request=, enrollment=).
DASHBOARD = Panels("progress.dashboard")
# Rendered at the end of the profile page: context(request=, enrollment=).
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
