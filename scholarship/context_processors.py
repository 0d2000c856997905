"""What every page's frame shows: the menu, for whoever is signed in."""

from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject, cached_property

from progress.selectors.enrollments import enrollment_for_request

# (label, URL name, what marks the link current: view names, or "app:<namespace>" for a whole app)
STUDENT_LINKS = (
    ("Dashboard", "progress:dashboard", ("progress:dashboard",)),
    ("Plan", "progress:schedule", ("progress:schedule",)),
    ("Lessons", "lessons:list", ("app:lessons",)),
    ("Study log", "progress:log_list", ("progress:log_list",)),
    ("Summaries", "progress:summary_list", ("progress:summary_list", "progress:summary_write")),
    ("Community", "progress:community_summaries", ("progress:community_summaries",)),
    ("Groups", "groups:browse", ("app:groups",)),
    ("Events", "events:list", ("events:list",)),
    ("Project", "progress:project", ("progress:project",)),
)
STAFF_LINKS = (
    ("Cohort", "cohort:dashboard", ("app:cohort",)),
    ("Admin", "admin:index", ()),
)


def _is_current(match, marks: tuple[str, ...]) -> bool:
    if match is None:
        return False
    return any(mark == f"app:{match.app_name}" if mark.startswith("app:") else mark == match.view_name for mark in marks)


def menu(request) -> dict:
    """The menu, worked out on first use: a part of a page drawn on its own with the request (common.panels)
    does not show it, and need not pay for its links."""
    return {"menu": SimpleLazyObject(lambda: Menu(request))}


class Menu:
    """The menu's links: student pages only for someone enrolled (staff who only run the cohort would get a
    403 on each), staff pages only for staff. Empty for visitors, who are offered log-in and sign-up.

    The links depend only on who is asking (a student, staff) and which page is open, so `_menu.html` keeps
    their drawing per process under `cache_key` and reads `links` only when it draws them.
    """

    def __init__(self, request):
        user = getattr(request, "user", None)
        self.signed_in = user is not None and user.is_authenticated
        self.is_student = self.signed_in and enrollment_for_request(request) is not None
        self.is_staff = self.signed_in and user.is_staff
        self.match = getattr(request, "resolver_match", None)

    @property
    def cache_key(self) -> str:
        page = f"{self.match.app_name}|{self.match.view_name}" if self.match is not None else ""
        return f"{get_script_prefix()}|{self.is_student}|{self.is_staff}|{page}"

    @cached_property
    def links(self) -> list[dict]:
        links = (STUDENT_LINKS if self.is_student else ()) + (STAFF_LINKS if self.is_staff else ())
        return [{"label": label, "url": reverse(name), "current": _is_current(self.match, marks)} for label, name, marks in links]
