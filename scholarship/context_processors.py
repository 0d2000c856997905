"""What every page's frame shows: the menu, for whoever is signed in."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

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
    return {"menu": SimpleLazyObject(lambda: _menu(request))}


def _menu(request) -> dict:
    """The menu's links: student pages only for someone enrolled (staff who only run the cohort would get a
    403 on each), staff pages only for staff. Empty for visitors, who are offered log-in and sign-up."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"links": [], "is_student": False}
    is_student = enrollment_for_request(request) is not None
    match = getattr(request, "resolver_match", None)
    links = (STUDENT_LINKS if is_student else ()) + (STAFF_LINKS if user.is_staff else ())
    return {
        "links": [{"label": label, "url": reverse(name), "current": _is_current(match, marks)} for label, name, marks in links],
        "is_student": is_student,
    }
