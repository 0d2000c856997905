"""Is each backing service answering? Used by /healthz, by pages that start a background job, and by the
test-suite's service check."""

from django.db import connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


def broker_ok(*, timeout: float = 2.0) -> bool:
    """The project's Celery app (the current one, set when Django starts) reaches its broker."""
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            # Opening a channel is a real round trip for every transport; Redis also answers PING.
            client = getattr(conn.default_channel, "client", None)
            if hasattr(client, "ping"):
                client.ping()
        return True
    except Exception:  # noqa: BLE001
        return False


# What a page says when it would start a background job and the broker does not answer.
JOBS_UNAVAILABLE = (
    "Background jobs are unavailable right now (the job queue does not answer), so nothing was changed. "
    "Please try again in a minute."
)
