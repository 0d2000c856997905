"""Background jobs for progress: they only fan out ids and call services."""

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

# A database or broker that blinked (a restart, a failover): the same task again, after a pause, succeeds.
SERVICE_ERRORS = (OperationalError, InterfaceError, kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, ConnectionError)
# Retried with exponential backoff (1, 2, 4 ... up to 60 s, jittered): about ten minutes in all. Whatever
# is still unsent after that, the ledger's catch-up hands out again.
RETRY = {"retry_backoff": True, "retry_backoff_max": 60, "max_retries": 12}


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def rollups_refresh_chunk(enrollment_ids: list[int]) -> int:
    return services.rollups_refresh_many(enrollment_ids=enrollment_ids)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def rollups_refresh_new_day() -> int:
    """Hourly: students whose local day has just begun get their day-dependent numbers (idle days, risk) anew.

    A refresh is a recompute, so a second beat or a retried chunk does no harm.
    """
    zones = services.time_zones_starting_a_day()
    chunks = 0
    if zones:
        for chunk in services.enrollment_id_chunks(time_zones=zones):
            rollups_refresh_chunk.delay(chunk)
            chunks += 1
    return chunks


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def rollups_catch_up() -> int:
    """Every few minutes: recompute the rollups study logs have made stale, so staff pages find few to do.

    Staff pages recompute whatever is still stale before reading; this only keeps that short.
    """
    chunks = services.stale_rollup_id_chunks()
    for chunk in chunks:
        rollups_refresh_chunk.delay(chunk)
    return len(chunks)


@shared_task(
    acks_late=True, soft_time_limit=600, time_limit=660, ignore_result=True,
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
)
def enrolment_import_apply(import_id: int) -> None:
    try:
        services.enrolment_import_apply(import_id=import_id)
    except OperationalError:
        raise  # the database blinked: Celery retries, and the job resumes after its last batch
    except Exception as exc:
        services.enrolment_import_mark_failed(import_id=import_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True)
def cohort_snapshots_take() -> int:
    """Hourly: each cohort's headline numbers for its current day (overwritten until the day ends)."""
    return services.cohort_snapshots_take()


@shared_task(
    bind=True, acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True,
    autoretry_for=(services.TransientMailError, *SERVICE_ERRORS), **RETRY,
)
def notifications_send_chunk(self, kind: str, cohort_id: int, occasion: str, ids: list[int]) -> int:
    """One chunk of up to 250 recipients; the ledger makes a retry or a duplicate delivery send nothing twice.

    Every attempt claims with the task's id, so a retry takes back at once what the failed attempt claimed.
    """
    return services.notifications_send_chunk(
        kind=kind, cohort_id=cohort_id, occasion=occasion, ids=ids, claim_token=self.request.id.replace("-", "")
    )


def _enqueue_chunk(kind: str, cohort_id: int, occasion: str, ids: list[int]) -> None:
    notifications_send_chunk.delay(kind, cohort_id, occasion, ids)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def notifications_dispatch() -> int:
    """Every 15 minutes: whoever's 09:00 has come on a reminder or digest day gets a chunk task."""
    dispatched = services.notifications_dispatch(send=lambda occasion, ids: _enqueue_chunk(occasion.kind, occasion.cohort.pk, occasion.key, ids))
    return sum(count for _, count in dispatched)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def notifications_catch_up() -> int:
    """Every few minutes, at any hour: rows whose chunk was lost or whose sender died go out again."""
    return services.notifications_catch_up(send=_enqueue_chunk).rows


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def notification_preview_send(kind: str, cohort_id: int, enrollment_id: int | None, staff_user_id: int) -> None:
    """The email preview's "send me a copy": the chosen student's email, to the staff member who asked."""
    services.notification_preview_send(kind=kind, cohort_id=cohort_id, enrollment_id=enrollment_id, staff_user_id=staff_user_id)
