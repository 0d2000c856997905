"""The secret address of a student's calendar feed."""

from ..models import Enrollment, new_calendar_token


def calendar_token_reset(*, enrollment: Enrollment) -> Enrollment:
    """A new secret address for the student's calendar feed; the old one stops working at once.

    No stored number depends on it, so nothing is locked or recomputed.
    """
    enrollment.calendar_token = new_calendar_token()
    enrollment.save(update_fields=["calendar_token"])
    return enrollment
