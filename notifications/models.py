"""The email ledger: one row per recipient, kind and occasion (moved here from progress with its table)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from progress.models import Cohort, Enrollment


class Notification(models.Model):
    """The ledger of emails: one row per recipient, kind and occasion, claimed before sending and marked after.

    The unique constraint is what makes a second beat, a retry or a second
    worker find the row and send nothing.
    """

    class Kind(models.TextChoices):
        DEADLINE_REMINDER = "deadline", "Deadline reminder"
        STUDENT_DIGEST = "digest", "Weekly digest"
        STAFF_DIGEST = "staff-digest", "Weekly cohort digest (staff)"
        NUDGE = "nudge", "Nudge from a study group mentor"
        EVENT_REMINDER = "event-reminder", "Event reminder (an hour before)"
        EVENT_CANCELLED = "event-cancelled", "Event cancelled"

    class State(models.TextChoices):
        CLAIMED = "claimed", "Claimed, being sent"
        SENT = "sent", "Sent"
        EXPIRED = "expired", "Given up: not sent within a day of its time"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occasion = models.CharField(max_length=40, help_text="Such as deadline-7d or digest-week-3, within the cohort.")
    number = models.PositiveSmallIntegerField(help_text="The occasion's number: days before the cut-off, or the course week.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLAIMED)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True, max_length=500, help_text="A nudge's words, from its mentor.")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="A nudge's mentor."
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # When the email was first handed out: a day after it, an unsent row is given up (expired).
    dispatched_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "progress_notification"  # the table it had in progress, kept when it moved here
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "cohort", "kind", "occasion"], name="one_email_per_recipient_kind_occasion"),
        ]
        indexes = [models.Index(fields=["state", "claimed_until"], name="notification_lease_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occasion} to {self.recipient_id}: {self.state}"


# Kinds whose every row is an occasion of its own (a mentor's day, an event's start): sent and caught up by row id.
ROW_KINDS = (Notification.Kind.NUDGE, Notification.Kind.EVENT_REMINDER, Notification.Kind.EVENT_CANCELLED)
