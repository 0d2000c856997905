"""Background jobs of study groups: they take ids and call one service."""

from celery import shared_task

from common.jobs import RETRY, SERVICE_ERRORS, job_run

from .services import forming


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def forming_run_apply(run_id: int) -> None:
    """Apply a "form groups" plan; a retry or a second delivery finds the groups already made and adds nobody twice."""
    job_run(
        apply=lambda: forming.forming_run_apply(run_id=run_id),
        mark_failed=lambda error: forming.forming_run_mark_failed(run_id=run_id, error=error),
    )
