"""What each kind of email asks of its recipient's choices, and what staff choose to receive.

One table says which choice every kind of email honours: the dispatch reads it to pick recipients, the
one-click unsubscribe in each email turns that same choice off, and the unsubscribe page words what stops.
Event reminders and cancellations share one choice, "event emails", so the link in either stops both.
"""

from ..models import Notification

Kind = Notification.Kind

# The enrollment's field each kind of student email honours (the staff digest honours the user's wants_cohort_digest).
ENROLLMENT_CHOICES = {
    Kind.DEADLINE_REMINDER: "wants_reminders",
    Kind.STUDENT_DIGEST: "wants_digests",
    Kind.NUDGE: "wants_nudges",
    Kind.EVENT_REMINDER: "wants_event_reminders",
    Kind.EVENT_CANCELLED: "wants_event_reminders",
}
STAFF_CHOICE = "wants_cohort_digest"

# What an unsubscribe link stops, as its page says it ("You will get no more ...").
EVENT_EMAILS = "event emails (the reminder an hour before an event you will come to, and word if it is cancelled)"
STOPS = {
    Kind.DEADLINE_REMINDER: "deadline reminder emails",
    Kind.STUDENT_DIGEST: "weekly digest emails",
    Kind.NUDGE: "emails from your study group's mentors",
    Kind.EVENT_REMINDER: EVENT_EMAILS,
    Kind.EVENT_CANCELLED: EVENT_EMAILS,
    Kind.STAFF_DIGEST: "weekly cohort digest emails",
}


def wants(kind: str) -> dict:
    """The filter on Enrollment that keeps the students who still want this kind of email."""
    return {ENROLLMENT_CHOICES[kind]: True}


def staff_digest_preference_set(*, user, wanted: bool) -> None:
    user.wants_cohort_digest = wanted
    user.save(update_fields=["wants_cohort_digest"])
