"""Deadline reminders and weekly digests, each sent exactly once per recipient, kind and occasion.

How exactly-once holds:
- every email has a ledger row (Notification) unique on (recipient, cohort, kind, occasion);
- a chunk first *claims* rows: it inserts them with its own token, ignoring rows that exist, and takes
  over only rows whose claim has expired (the lease), then sends only the rows carrying its token;
- each row is marked sent straight after its message is accepted by the mail backend.
So a second beat, a retried task or a second worker finds the rows and sends nothing, and a crash
leaves claimed rows that the next run re-sends once the lease is over: nobody is skipped.

The one window that remains: a crash after the mail server accepted a message and before its row
was marked sent. That message is sent again after the lease, under the same Message-ID (one per
ledger row), so the recipient's mail client shows one email. Marking row by row keeps the window to
that single message.

Every email goes out at 09:00 in the recipient's zone on its day (staff digests: the cohort's
zone): a beat every 15 minutes picks who is due, so nothing is scheduled days ahead. If the beat was
down at 09:00 the next run catches up, until 12:00 local. After an outage longer than that, staff
catch up with `send_deadline_reminders --now <instant>` (or `send_weekly_digests`): the ledger
makes a catch-up run safe whatever it overlaps.

Nothing dispatched is dropped: a row whose chunk task was lost (a broker restart empties its queue)
or whose sender died keeps its lease, and once the lease runs out `notifications_catch_up` (its own
beat, every few minutes, at any time of day) hands it out again, until it is sent. A row still unsent
a day after it was first dispatched is marked expired: counted on the cohort page and in the
student's email list, never silently dropped.
"""

import datetime as dt
import smtplib
import uuid
from email.utils import parseaddr
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lessons.models import Lesson

from .. import selectors
from ..selectors.notifications import contexts_for_chunk
from ..models import Cohort, Enrollment, Notification, StudentRollup
from .rollups import rollups_refresh_stale

SEND_AT = dt.time(9, 0)
# A beat that was down catches up during the morning; mail stays a morning email, never an evening one.
SEND_UNTIL = dt.time(12, 0)
CHUNK_SIZE = 250
UNSUBSCRIBE_SALT = "scholarship.unsubscribe"
Kind = Notification.Kind


class TransientMailError(Exception):
    """The mail transport failed in a way worth retrying (the claim was released for the retry)."""


@dataclass(frozen=True)
class Occasion:
    kind: str
    cohort: Cohort
    key: str  # e.g. deadline-7d, digest-week-3
    time_zones: tuple[str, ...] = field(default=())
    days_before: int | None = None
    week_number: int | None = None


def _running_cohorts(*, now: dt.datetime) -> list[Cohort]:
    return list(
        Cohort.objects.filter(opens_on__lte=(now + dt.timedelta(days=1)).date(), cutoff_at__gt=now - dt.timedelta(days=8))
    )


def occasions_due(*, now: dt.datetime) -> list[Occasion]:
    """Every (cohort, kind, occasion) whose 09:00 has come in some zone today."""
    due: list[Occasion] = []
    for cohort in _running_cohorts(now=now):
        deadline: dict[int, list[str]] = {}
        digest: dict[int, list[str]] = {}
        for zone in selectors.cohort_time_zones(cohort=cohort):
            local = now.astimezone(ZoneInfo(zone))
            if not SEND_AT <= local.time() < SEND_UNTIL:
                continue
            cutoff_day = cohort.cutoff_at.astimezone(ZoneInfo(zone)).date()
            days_before = (cutoff_day - local.date()).days
            if now < cohort.cutoff_at and days_before in cohort.reminder_days_before:
                deadline.setdefault(days_before, []).append(zone)
            week = selectors.course_week(cohort=cohort, day=local.date())
            if local.date() == week.starts_on and week.number >= 2 and local.date() <= cutoff_day + dt.timedelta(days=7):
                digest.setdefault(week.number, []).append(zone)
        due += [
            Occasion(Kind.DEADLINE_REMINDER, cohort, f"deadline-{days}d", tuple(zones), days_before=days)
            for days, zones in sorted(deadline.items(), reverse=True)
        ]
        due += [
            Occasion(Kind.STUDENT_DIGEST, cohort, f"digest-week-{number}", tuple(zones), week_number=number)
            for number, zones in sorted(digest.items())
        ]
        programme_local = now.astimezone(ZoneInfo(cohort.time_zone))
        week = selectors.course_week(cohort=cohort, day=programme_local.date())
        if SEND_AT <= programme_local.time() < SEND_UNTIL and programme_local.date() == week.starts_on and week.number >= 2:
            due.append(Occasion(Kind.STAFF_DIGEST, cohort, f"staff-digest-week-{week.number}", week_number=week.number))
    return due


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
    """(id to send to, user id, enrolment id): enrolments for student kinds, users for the staff digest."""
    if occasion.kind == Kind.STAFF_DIGEST:
        users = get_user_model().objects.filter(is_staff=True, is_active=True, wants_cohort_digest=True)
        return [
            (pk, pk, None)
            for pk in users.exclude(_not_yet_handled(occasion, now, "pk")).order_by("pk").values_list("pk", flat=True)
        ]
    enrollments = Enrollment.objects.filter(
        cohort=occasion.cohort, time_zone__in=occasion.time_zones, user__is_active=True
    ).exclude(_not_yet_handled(occasion, now, "user_id"))
    if occasion.kind == Kind.DEADLINE_REMINDER:
        finished = StudentRollup.objects.filter(enrollment=OuterRef("pk"), lessons_done__gte=Lesson.objects.count())
        enrollments = enrollments.filter(wants_reminders=True).exclude(Exists(finished))
    else:
        enrollments = enrollments.filter(wants_digests=True)
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
                occasion=occasion.key, claim_token="", claimed_until=_dispatch_lease(now), dispatched_at=now,
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
    *, now: dt.datetime | None = None, send: Callable[[str, int, str, list[int]], None], unclaimed_at_once: bool = False,
    kinds: Iterable[str] | None = None,
) -> CatchUp:
    """Hand out again, whatever the time of day, every unsent row whose lease ran out; expire those a day old.

    `send(kind, cohort_id, occasion, ids)` gets chunks as the dispatcher's do (enrolment ids; user ids for
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
        unsent.order_by("cohort_id", "kind", "occasion", "pk")
        .values_list("pk", "cohort_id", "kind", "occasion", "recipient_id", "enrollment_id")
    )
    groups: dict[tuple[int, str, str], list[tuple[int, int]]] = {}
    for pk, cohort_id, kind, occasion, recipient_id, enrollment_id in rows:
        send_id = recipient_id if kind == Kind.STAFF_DIGEST else enrollment_id
        groups.setdefault((cohort_id, kind, occasion), []).append((pk, send_id))
    chunks = 0
    for (cohort_id, kind, occasion), members in groups.items():
        for start in range(0, len(members), CHUNK_SIZE):
            chunk = members[start : start + CHUNK_SIZE]
            Notification.objects.filter(pk__in=[pk for pk, _ in chunk], state=Notification.State.CLAIMED).filter(waiting).update(
                claim_token="", claimed_until=_dispatch_lease(now)
            )
            send(kind, cohort_id, occasion, [send_id for _, send_id in chunk])
            chunks += 1
    return CatchUp(rows=len(rows), chunks=chunks, expired=expired)


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[int, str]:
    """The (user id, kind) a token names; raises signing.BadSignature if it was tampered with or is malformed.

    A token signed with our key but not of our making (the key leaked, or a future format) is
    treated like a forged one: no id is trusted that is not a plain positive integer.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        raise signing.BadSignature("unknown kind")
    user_id = data.get("u")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**63:
        raise signing.BadSignature("malformed user")
    return user_id, data["k"]


@transaction.atomic
def unsubscribe_apply(*, user_id: int, kind: str) -> None:
    """Turn one kind of email off for the user (every enrolment of theirs); repeating it is harmless."""
    if kind == Kind.DEADLINE_REMINDER:
        Enrollment.objects.filter(user_id=user_id).update(wants_reminders=False)
    elif kind == Kind.STUDENT_DIGEST:
        Enrollment.objects.filter(user_id=user_id).update(wants_digests=False)
    else:
        get_user_model().objects.filter(pk=user_id).update(wants_cohort_digest=False)


def _claim(
    *, occasion_kind: str, cohort_id: int, occasion_key: str, recipients: list[tuple[int, int | None]], now: dt.datetime,
    token: str,
) -> list[Notification]:
    """Insert or take over the ledger rows for these recipients; return the ones this run may send.

    `token` names the run: a retry of the same task passes the same one and takes back at once the rows
    its first attempt claimed before the database or broker failed, rather than waiting out their lease.
    """
    until = now + dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id, enrollment_id=enrollment_id, cohort_id=cohort_id, kind=occasion_kind,
                    occasion=occasion_key, claim_token=token, claimed_until=until, attempts=1, dispatched_at=now,
                )
                for user_id, enrollment_id in recipients
            ],
            ignore_conflicts=True,
        )
        # Take rows the dispatcher left unclaimed, claims whose lease has run out, and this run's own.
        Notification.objects.filter(
            cohort_id=cohort_id, kind=occasion_kind, occasion=occasion_key,
            recipient_id__in=[user_id for user_id, _ in recipients], state=Notification.State.CLAIMED,
        ).filter(Q(claim_token="") | Q(claimed_until__lte=now) | Q(claim_token=token)).update(
            claim_token=token, claimed_until=until, attempts=F("attempts") + 1
        )
    return list(
        Notification.objects.filter(
            cohort_id=cohort_id, kind=occasion_kind, occasion=occasion_key, claim_token=token, state=Notification.State.CLAIMED
        )
    )


def notification_preview_send(*, kind: str, cohort_id: int, enrollment_id: int | None, staff_user_id: int) -> None:
    """Send a staff member a copy of the email `kind` as the chosen student would get it now.

    Addressed to the staff member, with their own unsubscribe link (never the student's), outside the
    ledger: a preview is not an occasion.
    """
    cohort = Cohort.objects.get(pk=cohort_id)
    staff = get_user_model().objects.get(pk=staff_user_id, is_staff=True)
    enrollment = Enrollment.objects.select_related("user", "cohort").filter(pk=enrollment_id, cohort=cohort).first()
    context = selectors.preview_context(kind=kind, cohort=cohort, enrollment=enrollment, staff_user=staff, now=timezone.now())
    if context is None:
        return
    message = notification_message(kind=kind, to_user=staff, context=context)
    about = context["recipient"].email if context["recipient"].pk != staff.pk else "you"
    message.subject = f"[Preview for {about}] {message.subject}"
    message.send()


def notification_message_id(*, kind: str, cohort_id: int, occasion: str, user_id: int) -> str:
    """One Message-ID per ledger row: should a crash re-send a message (the window above), the copy
    carries the same Message-ID and mail clients show the recipient one email."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{occasion}.{kind}.c{cohort_id}.u{user_id}@{domain}>"


def notification_message(*, kind: str, to_user, context: dict, connection=None, message_id: str | None = None) -> EmailMultiAlternatives:
    """The email for a kind, from templates/email/<kind>.txt and .html, with one-click unsubscribe."""
    token = unsubscribe_token(user_id=to_user.pk, kind=kind)
    unsubscribe_url = settings.SITE_URL + reverse("unsubscribe", kwargs={"token": token})
    context = {**context, "unsubscribe_url": unsubscribe_url, "site_url": settings.SITE_URL, "recipient": to_user}
    name = kind.replace("-", "_")
    message = EmailMultiAlternatives(
        subject=render_to_string(f"email/{name}_subject.txt", context).strip(),
        body=render_to_string(f"email/{name}.txt", context),
        to=[to_user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **({"Message-ID": message_id} if message_id else {}),
        },
    )
    message.attach_alternative(render_to_string(f"email/{name}.html", context), "text/html")
    return message


def notifications_send_chunk(
    *, kind: str, cohort_id: int, occasion: str, ids: Iterable[int], now: dt.datetime | None = None, claim_token: str | None = None
) -> int:
    """Claim, render and send one chunk; returns how many emails this call sent.

    `claim_token`: the same for every attempt of one task (its id), so a retry resumes its own claims.
    Queries: a fixed handful for the chunk's data, then one UPDATE (in its own short transaction) per message sent.
    """
    now = now or timezone.now()
    cohort = Cohort.objects.get(pk=cohort_id)
    if kind == Notification.Kind.STAFF_DIGEST:
        rollups_refresh_stale(cohort_id=cohort_id, now=now)  # its at-risk list reads the rollups
    contexts = contexts_for_chunk(kind=kind, cohort=cohort, occasion=occasion, ids=list(ids), now=now)
    if not contexts:
        return 0
    claimed = _claim(
        occasion_kind=kind, cohort_id=cohort_id, occasion_key=occasion,
        recipients=[(c["recipient"].pk, c.get("enrollment").pk if c.get("enrollment") else None) for c in contexts],
        now=now, token=(claim_token or uuid.uuid4().hex)[:32],
    )
    by_user = {c["recipient"].pk: c for c in contexts}
    connection = get_connection()
    sent = 0
    for row in claimed:
        context = by_user[row.recipient_id]
        message = notification_message(
            kind=kind, to_user=context["recipient"], context=context, connection=connection,
            message_id=notification_message_id(kind=kind, cohort_id=cohort_id, occasion=occasion, user_id=row.recipient_id),
        )
        try:
            connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as exc:
            # Hand the row back at once so the task's retry (with backoff) takes it.
            Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(claimed_until=now, error=str(exc)[:1000])
            raise TransientMailError(str(exc)) from exc
        _mark_sent(row=row, subject=message.subject)
        sent += 1
    return sent


def _mark_sent(*, row: Notification, subject: str) -> None:
    """Record a message the mail server has accepted, as soon after it as the database allows.

    A worker killed between the two sends that message again after the lease (with the same
    Message-ID). On PostgreSQL the mark does not wait for its WAL flush (synchronous_commit off,
    for this one transaction): the window shrinks from a disk flush to a round trip. The price is
    paid only if PostgreSQL itself crashes: the last fraction of a second of marks is lost, and
    those messages go out once more, under the same Message-ID.
    """
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            with db_connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
            state=Notification.State.SENT, sent_at=timezone.now(), subject=subject[:200], error=""
        )


def staff_digest_preference_set(*, user, wanted: bool) -> None:
    user.wants_cohort_digest = wanted
    user.save(update_fields=["wants_cohort_digest"])
