"""Background jobs of staff review: they only fan out ids and call services."""

from celery import shared_task
from django.db import OperationalError

from common.jobs import RETRY, SERVICE_ERRORS

from .services import enrollment_import, rollups


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def rollups_refresh_chunk(enrollment_ids: list[int]) -> int:
    return rollups.rollups_refresh_many(enrollment_ids=enrollment_ids)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def rollups_refresh_new_day() -> int:
    """Hourly: students whose local day has just begun get their day-dependent numbers (idle days, risk) anew.

    A refresh is a recompute, so a second beat or a retried chunk does no harm.
    """
    zones = rollups.time_zones_starting_a_day()
    chunks = 0
    if zones:
        for chunk in rollups.enrollment_id_chunks(time_zones=zones):
            rollups_refresh_chunk.delay(chunk)
            chunks += 1
    return chunks


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def rollups_catch_up() -> int:
    """Every few minutes: rollups missing or behind a write are computed, so staff pages find few to do.

    Staff pages bring up whatever is still out of date before reading (rollups_up_to_date); this keeps that short.
    """
    chunks = rollups.out_of_date_id_chunks()
    for chunk in chunks:
        rollups_refresh_chunk.delay(chunk)
    return len(chunks)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def enrollment_import_apply(import_id: int) -> None:
    try:
        enrollment_import.enrollment_import_apply(import_id=import_id)
    except SERVICE_ERRORS:
        raise  # the database blinked: Celery retries, and the job resumes after its last batch
    except Exception as exc:
        enrollment_import.enrollment_import_mark_failed(import_id=import_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True, autoretry_for=(OperationalError,), **RETRY)
def cohort_snapshots_take() -> int:
    """Hourly: each cohort's headline numbers for its current day (overwritten until the day ends)."""
    return rollups.cohort_snapshots_take()
