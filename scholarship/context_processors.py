"""What every page's frame shows: the menu, for whoever is signed in."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property

from groups.models import Mentorship
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
# For whoever mentors a group, a student or staff: the members who need a hand.
MENTOR_LINKS = (("Mentoring", "mentor", ("mentor",)),)
STAFF_LINKS = (
    ("Cohort", "cohort:dashboard", ("app:cohort",)),
    ("Admin", "admin:index", ()),
)


def _is_current(match, marks: tuple[str, ...]) -> bool:
    if match is None:
        return False
    return any(mark == f"app:{match.app_name}" if mark.startswith("app:") else mark == match.view_name for mark in marks)


def menu(request) -> dict:
    """The menu, worked out on first use: a fragment rendered on its own with the request (common.panels)
    does not show it, and need not pay for its links."""
    return {"menu": SimpleLazyObject(lambda: Menu(request))}


class Menu:
    """The menu's links: student pages only for someone enrolled (staff who only run the cohort would get a
    403 on each), the mentor's page for those who mentor a group, staff pages only for staff. Empty for visitors,
    who are offered log-in and sign-up."""

    def __init__(self, request):
        user = getattr(request, "user", None)
        self.signed_in = user is not None and user.is_authenticated
        self.is_student = self.signed_in and enrollment_for_request(request) is not None
        self.is_staff = self.signed_in and user.is_staff
        self.match = getattr(request, "resolver_match", None)
        self.user = user

    @cached_property
    def is_mentor(self) -> bool:
        """One query, on first use (the menu's links, the dashboard's link to the mentor's page)."""
        return self.signed_in and Mentorship.objects.filter(mentor_id=self.user.pk).exists()

    @cached_property
    def links(self) -> list[dict]:
        links = (
            (STUDENT_LINKS if self.is_student else ()) + (MENTOR_LINKS if self.is_mentor else ()) + (STAFF_LINKS if self.is_staff else ())
        )
        return [{"label": label, "url": reverse(name), "current": _is_current(self.match, marks)} for label, name, marks in links]
