"""Sending a chunk: claim its ledger rows, render each email, send it, mark it sent; and the preview's copy."""

import datetime as dt
import smtplib
import uuid
from collections.abc import Callable, Iterable
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.forms import single_line
from progress.models import Cohort, Enrollment

from ..models import ROW_KINDS, Notification
from ..occasions import occasion_key
from ..selectors import contexts_for_chunk, preview_context
from .unsubscribe import unsubscribe_token


class TransientMailError(Exception):
    """The mail transport failed in a way worth retrying (the claim was released for the retry)."""


def _claim(
    *, occasion_kind: str, cohort_id: int, occasion_key: str, number: int, recipients: list[tuple[int, int | None]],
    now: dt.datetime, token: str,
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
                    occasion=occasion_key, number=number, claim_token=token, claimed_until=until, attempts=1, dispatched_at=now,
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
    context = preview_context(kind=kind, cohort=cohort, enrollment=enrollment, staff_user=staff, now=timezone.now())
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
    # Every time in an email reads in its reader's zone: Django's date filters convert to the current zone.
    with timezone.override(email_time_zone(context)):
        # A subject is one header line: a line break in a title or name stored before they were kept to one line
        # would make the mail library refuse the message (BadHeaderError) and fail the chunk for everyone in it.
        subject = single_line(render_to_string(f"email/{name}_subject.txt", context))
        body = render_to_string(f"email/{name}.txt", context)
        html = render_to_string(f"email/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[to_user.email],
        reply_to=[context["reply_to"]] if context.get("reply_to") else None,
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **({"Message-ID": message_id} if message_id else {}),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def email_time_zone(context: dict) -> str:
    """The zone an email's times are shown in: its student's own; for staff, the programme's (the cohort's)."""
    if context.get("enrollment") is not None:
        return context["enrollment"].time_zone
    if context.get("cohort") is not None:
        return context["cohort"].time_zone
    return "UTC"


def notifications_send_chunk(
    *, kind: str, cohort_id: int, number: int, ids: Iterable[int], now: dt.datetime | None = None, claim_token: str | None = None
) -> int:
    """Claim, render and send one chunk; returns how many emails this call sent.

    `claim_token`: the same for every attempt of one task (its id), so a retry resumes its own claims.
    Queries: a fixed handful for the chunk's data, then one UPDATE (in its own short transaction) per message sent.
    """
    now = now or timezone.now()
    if kind in ROW_KINDS:  # each row is its own occasion: the ids are ledger rows
        return rows_send(ids=ids, claim_token=claim_token, now=now)
    occasion = occasion_key(kind, number)
    cohort = Cohort.objects.get(pk=cohort_id)
    contexts = contexts_for_chunk(kind=kind, cohort=cohort, number=number, ids=list(ids), now=now)
    if not contexts:
        return 0
    claimed = _claim(
        occasion_kind=kind, cohort_id=cohort_id, occasion_key=occasion, number=number,
        recipients=[(c["recipient"].pk, c.get("enrollment").pk if c.get("enrollment") else None) for c in contexts],
        now=now, token=(claim_token or uuid.uuid4().hex)[:32],
    )
    by_user = {c["recipient"].pk: c for c in contexts}
    return _send_each(rows=claimed, addressed=lambda row: (by_user[row.recipient_id]["recipient"], by_user[row.recipient_id]), now=now)


def _send_each(*, rows: Iterable[Notification], addressed: Callable[[Notification], tuple], now: dt.datetime) -> int:
    """Send each claimed row's email (`addressed(row)` gives its recipient and context) and mark it sent right after;
    returns how many. A mail error hands the row back at once, so the task's retry (with backoff) takes it."""
    connection = get_connection()
    sent = 0
    for row in rows:
        to_user, context = addressed(row)
        message = notification_message(
            kind=row.kind, to_user=to_user, context=context, connection=connection,
            message_id=notification_message_id(kind=row.kind, cohort_id=row.cohort_id, occasion=row.occasion, user_id=row.recipient_id),
        )
        try:
            connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as exc:
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


def _row_context(row: Notification) -> dict:
    """What a row-addressed email says: a nudge's words (answered by replying: its Reply-To is the mentor, as mentors
    agree when they take the role), or its event (its times in the student's zone, as every email's)."""
    context = {"enrollment": row.enrollment, "cohort": row.enrollment.cohort, "dashboard_url": settings.SITE_URL + reverse("progress:dashboard")}
    if row.kind == Notification.Kind.NUDGE:
        try:
            group_id = row.enrollment.group_membership.group_id
        except ObjectDoesNotExist:  # they left the group since
            group_id = None
        return {
            **context, "mentor_name": row.sender.get_full_name() if row.sender else "Your mentor", "words": row.message,
            "reply_to": row.sender.email if row.sender and row.sender.is_active else None,
            "group_url": settings.SITE_URL + reverse("groups:detail", args=[group_id]) if group_id else None,
        }
    return {**context, "event": row.event, "events_url": settings.SITE_URL + reverse("events:list")}


def rows_send(*, ids: Iterable[int], claim_token: str | None = None, now: dt.datetime | None = None) -> int:
    """Send ledger rows of the row-addressed kinds (nudges, event emails) that no one else holds; returns how many."""
    now = now or timezone.now()
    token = (claim_token or uuid.uuid4().hex)[:32]
    until = now + dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)
    Notification.objects.filter(pk__in=list(ids), kind__in=ROW_KINDS, state=Notification.State.CLAIMED).filter(
        Q(claim_token="") | Q(claimed_until__lte=now) | Q(claim_token=token)
    ).update(claim_token=token, claimed_until=until)
    rows = Notification.objects.filter(claim_token=token, kind__in=ROW_KINDS, state=Notification.State.CLAIMED).select_related(
        "recipient", "sender", "enrollment__cohort", "enrollment__group_membership", "event"
    )
    return _send_each(rows=rows, addressed=lambda row: (row.recipient, _row_context(row)), now=now)
