"""Background jobs of staff review: they only fan out ids and call services."""

from celery import shared_task
from django.db import OperationalError

from common.jobs import RETRY, SERVICE_ERRORS, job_run

from .services import enrollment_import, snapshots


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def enrollment_import_apply(import_id: int) -> None:
    """Apply an uploaded file; a retry resumes after its last committed batch."""
    job_run(
        apply=lambda: enrollment_import.enrollment_import_apply(import_id=import_id),
        mark_failed=lambda error: enrollment_import.enrollment_import_mark_failed(import_id=import_id, error=error),
    )


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True, autoretry_for=(OperationalError,), **RETRY)
def cohort_snapshots_take() -> int:
    """Hourly: each cohort's headline numbers for its current day (overwritten until the day ends)."""
    return snapshots.cohort_snapshots_take()
