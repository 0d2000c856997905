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
