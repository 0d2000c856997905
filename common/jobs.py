"""What every background job shares: which errors are worth a retry, and how it retries."""

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

