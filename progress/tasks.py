"""Background jobs for progress: they only fan out ids and call services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True,
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
)
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
