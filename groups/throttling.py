"""Wrong join codes, counted per account and per address (accounts.throttling's counters and client address): past
either limit in an hour, codes are refused unchecked until the hour is out.

Only wrong codes count, so a classroom behind one router can all join with the right code. Open while the counters
are unavailable: a join sends nothing, and a code of 65 bits is not found by guessing for a few minutes.
"""

import logging

import redis.exceptions
from django.core.cache import caches

from accounts.throttling import client_ip, over_limit

logger = logging.getLogger(__name__)

WRONG_CODES_PER_ACCOUNT = 10
WRONG_CODES_PER_ADDRESS = 30
WINDOW_SECONDS = 3600
TOO_MANY_WRONG_CODES = (
    "Too many wrong join codes in the last hour, so codes are not being checked for now. "
    "Please try again in an hour, with the code copied from whoever gave it to you."
)


def _limits(request) -> dict[str, int]:
    return {
        f"joincode:user:{request.user.pk}": WRONG_CODES_PER_ACCOUNT,
        f"joincode:ip:{client_ip(request) or 'unknown'}": WRONG_CODES_PER_ADDRESS,
    }


def join_code_refusal(*, request) -> str | None:
    """Why a join code from this request is not checked at all, or None. Read before the code is looked at, so a
    guess past the limit is never tried, right or wrong."""
    limits = _limits(request)
    try:
        counts = caches["throttle"].get_many(list(limits))
    except redis.exceptions.RedisError as exc:
        logger.warning("Throttle counters unavailable (%s) for joincode", exc)
        return None
    return TOO_MANY_WRONG_CODES if any(counts.get(key, 0) >= limit for key, limit in limits.items()) else None


def join_code_wrong(*, request) -> None:
    """Count one wrong code against the account and the address."""
    for key, limit in _limits(request).items():
        over_limit(key=key, limit=limit, window_seconds=WINDOW_SECONDS)
