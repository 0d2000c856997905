"""Background jobs of a student's numbers: they take ids and call one service."""

from celery import shared_task

from common.jobs import RETRY, SERVICE_ERRORS, job_run

from .services import rollups


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def rollup_rebuild_run(rebuild_id: int) -> None:
    """A cohort-wide recompute after an edit that moved many students' numbers; a retry recomputes again (harmless)."""
    job_run(
        apply=lambda: rollups.rollup_rebuild_apply(rebuild_id=rebuild_id),
        mark_failed=lambda error: rollups.rollup_rebuild_mark_failed(rebuild_id=rebuild_id, error=error),
    )
