"""Event emails: the reminder an hour before, to those who said they would come, and the cancellation.

Each is a ledger row per student and occasion (the event and its start; or its cancellation), inserted by the
beat and sent by row id, so a second beat, a retry or a restarted worker sends nothing twice, and the
catch-up sends what a lost task did not. Moving an event changes the start in its occasion: a new reminder.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from events.models import Event
from events.selectors import event_email_audience

from ..models import Notification
from ..occasions import event_key
from .dispatch import CHUNK_SIZE

Kind = Notification.Kind
REMIND_BEFORE = dt.timedelta(hours=1)
CANCELLATIONS_FOR = dt.timedelta(hours=24)  # a cancellation older than this is not announced any more


def _dispatch(*, event: Event, kind: str, occasion: str, now: dt.datetime, send: Callable[[str, int, int, list[int]], None]) -> int:
    # Reminders and cancellations alike go to those who said they will come and kept event emails on: the link in
    # either email turns that one choice off (preferences.ENROLLMENT_CHOICES), and both honour it.
    going = event_email_audience(event_id=event.pk)
    recipients = list(going.order_by("pk").values_list("enrollment__user_id", "enrollment_id"))
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id, enrollment_id=enrollment_id, cohort_id=event.cohort_id, kind=kind, occasion=occasion, number=0,
                event=event, claim_token="", claimed_until=now + dt.timedelta(seconds=settings.NOTIFICATION_DISPATCH_LEASE_SECONDS),
                dispatched_at=now,
            )
            for user_id, enrollment_id in recipients
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    # Only the rows this run inserted: those of an earlier beat are its chunks' (or the catch-up's) to send.
    ids = list(
        Notification.objects.filter(kind=kind, cohort_id=event.cohort_id, occasion=occasion, dispatched_at=now, claim_token="")
        .order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK_SIZE):
        send(kind, event.cohort_id, 0, ids[start : start + CHUNK_SIZE])
    return len(ids)


def event_emails_dispatch(*, send: Callable[[str, int, int, list[int]], None], now: dt.datetime | None = None) -> int:
    """Reminders for events starting within the hour, and cancellations of the last day; returns emails handed out."""
    now = now or timezone.now()
    handed = 0
    for event in Event.objects.filter(cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE):
        handed += _dispatch(event=event, kind=Kind.EVENT_REMINDER, occasion=event_key(event_id=event.pk, starts_at=event.starts_at), now=now, send=send)
    for event in Event.objects.filter(cancelled_at__gte=now - CANCELLATIONS_FOR, starts_at__gt=now - CANCELLATIONS_FOR):
        handed += _dispatch(event=event, kind=Kind.EVENT_CANCELLED, occasion=event_key(event_id=event.pk, starts_at=None), now=now, send=send)
    return handed
