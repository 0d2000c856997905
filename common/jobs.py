"""What every background job shares: which errors are worth a retry, and how it retries."""

from collections.abc import Callable

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError, models

# A database or broker that blinked (a restart, a failover): the same task again, after a pause, succeeds.
SERVICE_ERRORS = (OperationalError, InterfaceError, kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, ConnectionError)
# Exponential backoff (1, 2, 4 ... up to 60 s, jittered): about ten minutes in all. Whatever a job leaves
# undone after that, the next beat or the ledger's catch-up picks up.
RETRY = {"retry_backoff": True, "retry_backoff_max": 60, "max_retries": 12}


class JobState(models.TextChoices):
    """Where a job staff start and watch (an enrollment upload, a "form groups" run) has got."""

    WAITING = "waiting", "Waiting for a worker"
    APPLYING = "applying", "Applying"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"



class BackgroundJob(models.Model):
    """A job staff start and watch: its state, why it failed, and when it was made and finished.

    A subclass names its two counters in `progress_fields` (done, total) for `percent`.
    """

    State = JobState
    progress_fields: tuple[str, str] = ("", "")

    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.WAITING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        done, total = (getattr(self, name) for name in self.progress_fields)
        return 100 if not total else int(100 * done / total)

    @property
    def is_running(self) -> bool:
        return self.state in (JobState.WAITING, JobState.APPLYING)


def job_run(*, apply: Callable[[], object], mark_failed: Callable[[str], None]) -> None:
    """A staff-watched job's task body: a service error propagates (Celery retries, the job resumes where it got
    to); any other error is written on the job's row for staff to read, then re-raised for the logs."""
    try:
        apply()
    except SERVICE_ERRORS:
        raise
    except Exception as exc:
        mark_failed(f"{type(exc).__name__}: {exc}")
        raise
