"""Mentors' nudges: a short email in the mentor's words to a member of their group who is at risk.

Each nudge is a ledger row of its own (the student's day is its occasion, whoever the mentor), so a second
click, a second mentor, a retry or a restarted worker sends nothing twice, and the catch-up sends one whose
task was lost. Its Reply-To is the mentor's address, so the student can answer it.
The sending is `sending.rows_send`, with the other kinds whose every row is an occasion (event emails).
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.forms import nul_characters_check
from common.timezones import local_today
from progress.models import Enrollment

from ..models import Notification
from ..occasions import nudge_key

NUDGE_MAX_LENGTH = 500
Kind = Notification.Kind


def nudge_request(*, mentor, enrollment: Enrollment, message: str, enqueue: Callable[[int], object], now: dt.datetime | None = None) -> bool:
    """Record the nudge and hand it to the job once committed; False if they had a nudge on their today already,
    from this mentor or another of their group's (the ledger's one row per student, kind and occasion).

    The caller has checked that `mentor` mentors the student's group (groups.selectors.enrollment_mentored_by).
    """
    nul_characters_check(message=message)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Write a line or two: the nudge is your words."})
    if len(message) > NUDGE_MAX_LENGTH:
        raise ValidationError({"message": f"Keep it under {NUDGE_MAX_LENGTH} characters (it has {len(message)})."})
    if not enrollment.wants_nudges:
        raise ValidationError("They have turned off emails from mentors. Say hello in the group instead.")
    now = now or timezone.now()
    occasion = nudge_key(day=local_today(time_zone=enrollment.time_zone, now=now))
    try:
        with transaction.atomic():
            row = Notification.objects.create(
                recipient_id=enrollment.user_id, enrollment=enrollment, cohort_id=enrollment.cohort_id, kind=Kind.NUDGE,
                occasion=occasion, number=0, message=message, sender=mentor, claim_token="",
                claimed_until=now + dt.timedelta(seconds=settings.NOTIFICATION_DISPATCH_LEASE_SECONDS), dispatched_at=now,
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: enqueue(row.pk))
    return True
