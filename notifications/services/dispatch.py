"""Handing out what is due: the beat's dispatch of each morning's occasions, and the catch-up that hands out
again, at any hour, every row whose chunk was lost or whose sender died."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from progress.models import Enrollment, StudentRollup

from ..models import ROW_KINDS, Notification
from ..occasions import Kind, Occasion, occasions_due
from .preferences import STAFF_CHOICE, wants

CHUNK_SIZE = 250


def _dispatch_lease(now: dt.datetime) -> dt.datetime:
    """How long a dispatched row waits for its chunk task before the catch-up hands it out again."""
    return now + dt.timedelta(seconds=settings.NOTIFICATION_DISPATCH_LEASE_SECONDS)


def _not_yet_handled(occasion: Occasion, now: dt.datetime, recipient_field: str):
    """Rows sent, given up, or claimed by someone whose lease still runs, mean: not this recipient."""
    return Exists(
        Notification.objects.filter(
            recipient_id=OuterRef(recipient_field), cohort=occasion.cohort, kind=occasion.kind, occasion=occasion.key
        ).filter(
            Q(state__in=[Notification.State.SENT, Notification.State.EXPIRED])
            | Q(state=Notification.State.CLAIMED, claimed_until__gt=now)
        )
    )


def recipients_due(*, occasion: Occasion, now: dt.datetime) -> list[tuple[int, int, int | None]]:
    """(id to send to, user id, enrollment id): enrollments for student kinds, users for the staff digest."""
    if occasion.kind == Kind.STAFF_DIGEST:
        users = get_user_model().objects.filter(is_staff=True, is_active=True, **{STAFF_CHOICE: True})
        return [
            (pk, pk, None)
            for pk in users.exclude(_not_yet_handled(occasion, now, "pk")).order_by("pk").values_list("pk", flat=True)
        ]
    enrollments = Enrollment.objects.filter(
        cohort=occasion.cohort, time_zone__in=occasion.time_zones, user__is_active=True
    ).exclude(_not_yet_handled(occasion, now, "user_id")).filter(**wants(occasion.kind))
    if occasion.kind == Kind.DEADLINE_REMINDER:
        finished = StudentRollup.objects.filter(enrollment=OuterRef("pk"), finished_on__isnull=False)
        enrollments = enrollments.exclude(Exists(finished))
    return list(enrollments.order_by("pk").values_list("pk", "user_id", "pk"))


def notifications_dispatch(
    *, now: dt.datetime | None = None, send: Callable[[Occasion, list[int]], None], dry_run: bool = False
) -> list[tuple[Occasion, int]]:
    """Find who is due now and hand them to `send` in chunks (the beat enqueues tasks; commands send inline).

    Each chunk is recorded in the ledger before `send` gets it, so later beats skip it while its
    task is pending; with dry_run nothing is recorded and `send` is expected only to report.
    """
    now = now or timezone.now()
    return [
        (occasion, notifications_dispatch_occasion(occasion=occasion, now=now, send=send, dry_run=dry_run))
        for occasion in occasions_due(now=now)
    ]


def notifications_dispatch_occasion(
    *, occasion: Occasion, now: dt.datetime, send: Callable[[Occasion, list[int]], None], dry_run: bool = False
) -> int:
    """Hand one occasion's due recipients to `send` in chunks; returns how many were due."""
    due = recipients_due(occasion=occasion, now=now)
    for start in range(0, len(due), CHUNK_SIZE):
        chunk = due[start : start + CHUNK_SIZE]
        if not dry_run:  # a dry run records nothing; `send` only prints
            _dispatch_rows(occasion=occasion, chunk=chunk, now=now)
        send(occasion, [send_id for send_id, _, _ in chunk])
    return len(due)


def _dispatch_rows(*, occasion: Occasion, chunk: list[tuple[int, int, int | None]], now: dt.datetime) -> None:
    """Record the chunk as dispatched (unclaimed), so the next beats do not hand it out again."""
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id, enrollment_id=enrollment_id, cohort_id=occasion.cohort.pk, kind=occasion.kind,
                occasion=occasion.key, number=occasion.number, claim_token="", claimed_until=_dispatch_lease(now), dispatched_at=now,
            )
            for _, user_id, enrollment_id in chunk
        ],
        ignore_conflicts=True,
    )
    # A row whose chunk task was lost is dispatched again once its lease is over.
    Notification.objects.filter(
        cohort=occasion.cohort, kind=occasion.kind, occasion=occasion.key, state=Notification.State.CLAIMED,
        recipient_id__in=[user_id for _, user_id, _ in chunk], claimed_until__lte=now,
    ).update(claim_token="", claimed_until=_dispatch_lease(now))


@dataclass(frozen=True)
class CatchUp:
    rows: int  # handed out again
    chunks: int
    expired: int  # given up, a day after their first dispatch


def notifications_catch_up(
    *, now: dt.datetime | None = None, send: Callable[[str, int, int, list[int]], None], unclaimed_at_once: bool = False,
    kinds: Iterable[str] | None = None,
) -> CatchUp:
    """Hand out again, whatever the time of day, every unsent row whose lease ran out; expire those a day old.

    `send(kind, cohort_id, number, ids)` gets chunks as the dispatcher's do (enrolment ids; user ids for
    the staff digest). The rows are leased again first, so the next catch-up skips them while their task
    waits. With `unclaimed_at_once` (an operator's command, sending inline) rows dispatched but never
    claimed are taken without waiting for their lease: no sender holds them, and the claim is atomic.
    `kinds` limits the hand-out (not the expiry) to some kinds of email.
    """
    now = now or timezone.now()
    expire_before = now - dt.timedelta(hours=settings.NOTIFICATION_EXPIRE_HOURS)
    expired = Notification.objects.filter(state=Notification.State.CLAIMED, dispatched_at__lt=expire_before).update(
        state=Notification.State.EXPIRED, claim_token="", error="not sent within a day of its time"
    )
    waiting = Q(claimed_until__lte=now) | (Q(claim_token="") if unclaimed_at_once else Q(pk__in=[]))
    unsent = Notification.objects.filter(state=Notification.State.CLAIMED).filter(waiting)
    if kinds is not None:
        unsent = unsent.filter(kind__in=list(kinds))
    rows = list(
        unsent.order_by("cohort_id", "kind", "number", "pk")
        .values_list("pk", "cohort_id", "kind", "number", "recipient_id", "enrollment_id")
    )
    groups: dict[tuple[int, str, int], list[tuple[int, int]]] = {}
    for pk, cohort_id, kind, number, recipient_id, enrollment_id in rows:
        # Staff digests go by user, nudges by their own row (each is an occasion of its own), the rest by enrollment.
        send_id = recipient_id if kind == Kind.STAFF_DIGEST else pk if kind in ROW_KINDS else enrollment_id
        groups.setdefault((cohort_id, kind, number), []).append((pk, send_id))
    chunks = 0
    for (cohort_id, kind, number), members in groups.items():
        for start in range(0, len(members), CHUNK_SIZE):
            chunk = members[start : start + CHUNK_SIZE]
            Notification.objects.filter(pk__in=[pk for pk, _ in chunk], state=Notification.State.CLAIMED).filter(waiting).update(
                claim_token="", claimed_until=_dispatch_lease(now)
            )
            send(kind, cohort_id, number, [send_id for _, send_id in chunk])
            chunks += 1
    return CatchUp(rows=len(rows), chunks=chunks, expired=expired)
