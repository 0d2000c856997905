"""Background jobs of the emails: they only fan out ids and call services."""

from celery import shared_task

from common.jobs import RETRY, SERVICE_ERRORS

from .services import dispatch, events, sending


@shared_task(
    bind=True, acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True,
    autoretry_for=(sending.TransientMailError, *SERVICE_ERRORS), **RETRY,
)
def notifications_send_chunk(self, kind: str, cohort_id: int, number: int, ids: list[int]) -> int:
    """One chunk of up to 250 recipients; the ledger makes a retry or a duplicate delivery send nothing twice.

    Every attempt claims with the task's id, so a retry takes back at once what the failed attempt claimed.
    """
    return sending.notifications_send_chunk(
        kind=kind, cohort_id=cohort_id, number=number, ids=ids, claim_token=self.request.id.replace("-", "")
    )


def _enqueue_chunk(kind: str, cohort_id: int, number: int, ids: list[int]) -> None:
    notifications_send_chunk.delay(kind, cohort_id, number, ids)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def notifications_dispatch() -> int:
    """Every 15 minutes: whoever's 09:00 has come on a reminder or digest day gets a chunk task."""
    dispatched = dispatch.notifications_dispatch(
        send=lambda occasion, ids: _enqueue_chunk(occasion.kind, occasion.cohort.pk, occasion.number, ids)
    )
    return sum(count for _, count in dispatched)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def notifications_catch_up() -> int:
    """Every few minutes, at any hour: rows whose chunk was lost or whose sender died go out again."""
    return dispatch.notifications_catch_up(send=_enqueue_chunk).rows


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def notification_preview_send(kind: str, cohort_id: int, enrollment_id: int | None, staff_user_id: int) -> None:
    """The email preview's "send me a copy": the chosen student's email, to the staff member who asked."""
    sending.notification_preview_send(kind=kind, cohort_id=cohort_id, enrollment_id=enrollment_id, staff_user_id=staff_user_id)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def event_emails_dispatch() -> int:
    """Every 5 minutes: reminders for events starting within the hour, and cancellations, a chunk task each."""
    return events.event_emails_dispatch(send=_enqueue_chunk)
