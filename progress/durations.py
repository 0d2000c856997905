"""Reading the time a student types: `1.5`, `1:30`, `1h30`, `90m`. A bare number is hours.

static/js/duration.js mirrors these rules to echo the parsed value while the
student types; the server's reading is the one that is saved.
"""

import re
from decimal import Decimal, InvalidOperation

_NUMBER = r"\d+(?:[.,]\d+)?|[.,]\d+"
_HOURS_MINUTES = re.compile(r"^(\d+):([0-5]?\d)$")
_UNITS = re.compile(
    rf"^(?:(?P<h>{_NUMBER})\s*(?:h|hr|hrs|hour|hours))?\s*(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes)?)?$"
)
_MINUTES_ONLY = re.compile(r"^(\d+)\s*(?:m|min|mins|minute|minutes)$")


class DurationError(ValueError):
    pass


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the patterns only pass numbers
        raise DurationError(text) from exc


def duration_parse_minutes(text: str) -> int:
    """Return whole minutes (rounded to the nearest) or raise DurationError."""
    raw = (text or "").strip().lower()
    if not raw:
        raise DurationError("Enter how long you studied, e.g. 1.5, 1:30, 1h30 or 90m.")
    if re.fullmatch(_NUMBER, raw):
        minutes = _decimal(raw) * 60
    elif match := _HOURS_MINUTES.match(raw):
        minutes = Decimal(int(match[1]) * 60 + int(match[2]))
    elif match := _MINUTES_ONLY.match(raw):
        minutes = Decimal(match[1])
    elif (match := _UNITS.match(raw)) and match["h"] is not None:
        minutes = _decimal(match["h"]) * 60 + Decimal(match["m"] or 0)
    else:
        raise DurationError(f"“{text.strip()}” is not a time we can read. Try 1.5, 1:30, 1h30 or 90m.")
    return int(minutes.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
