"""Logging filters: how a request's problems read in the server's log."""

import logging


class OneLineForClientErrors(logging.Filter):
    """A 4xx (a student opening a staff page, a refused address) is the client's doing, not a fault to debug:
    log it as one line, without the traceback Django attaches to its "Forbidden" and "Bad Request" records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class OneLineForDatabaseOutages(logging.Filter):
    """A request answered 503 because the database did not answer: one line with the reason, no traceback.

    During an outage every request fails the same way; a traceback each would bury the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from django.db import InterfaceError, OperationalError

        error = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 503 and isinstance(error, (OperationalError, InterfaceError)):
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            record.msg = f"{record.msg} (database unavailable: %s)"
            record.args = (*record.args, reason) if isinstance(record.args, tuple) else (reason,)
            record.exc_info = None
            record.exc_text = None
        return True
