"""Limits on attempts that an attacker would repeat: logins (via django-axes), password-reset requests and
sign-ups, all keyed by the one client address `client_ip` reads."""

import ipaddress
import logging
from functools import cache as memoize

import redis.exceptions
from django.conf import settings
from django.core.cache import caches
from ipware import get_client_ip

logger = logging.getLogger(__name__)


def login_username(request, credentials) -> str:
    """The account a login attempt targets, compared without case (logins are email addresses)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


@memoize
def _networks(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _from_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.PROXY_TRUSTED_NETWORKS)))


def client_ip(request) -> str | None:
    """The address of whoever sent the request: the one key of every throttle (axes, resets, sign-ups).

    With PROXY_COUNT = 0 it is the connection's address. Behind PROXY_COUNT reverse proxies that each
    append the address they received from to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the
    client is the PROXY_COUNT-th entry from the right, which django-ipware picks: whatever a client
    wrote into the header itself sits further left and is ignored. The header is believed only from a
    connection out of PROXY_TRUSTED_NETWORKS, so a client reaching a web server directly can not choose
    its address; no other header (X-Real-IP and the like) is read. None when there is no connection
    (a request made in code).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.PROXY_COUNT or remote is None or not _from_trusted_proxy(remote):
        return remote
    forwarded, _ = get_client_ip(
        request,
        proxy_count=settings.PROXY_COUNT - 1,  # the proxies' own addresses in the header: all but the last
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return forwarded or remote


def over_limit(*, key: str, limit: int, window_seconds: int) -> bool | None:
    """Count one more hit on `key` in the current window; True once the count passes `limit`.

    The counters live in Redis (the "throttle" cache). None while it does not answer: each throttle
    then chooses to refuse (closed) or allow (open), and the README says why.
    """
    counters = caches["throttle"]
    try:
        counters.add(key, 0, window_seconds)
        try:
            count = counters.incr(key)
        except ValueError:  # expired between add and incr
            counters.set(key, 1, window_seconds)
            count = 1
    except redis.exceptions.RedisError as exc:
        logger.warning("Throttle counters unavailable (%s) for %s", exc, key.split(":")[0])
        return None
    return count > limit


TOO_MANY_RESETS = "Too many reset requests. Please wait an hour and try again."
RESETS_PAUSED = "Password resets are paused for a few minutes while a service restarts. Please try again shortly."


def password_reset_refusal(*, request, email: str) -> str | None:
    """Why this reset request is refused, or None. Limited per address and per email, so neither a flood
    nor a targeted stream gets through.

    Closed while the counters are unavailable: every request sends an email, and an open throttle would
    let anyone flood an inbox (and our sending quota) for as long as the outage lasts.
    """
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    by_address = over_limit(key=f"reset:ip:{client_ip(request) or 'unknown'}", limit=limit, window_seconds=3600)
    by_email = over_limit(key=f"reset:email:{email.strip().lower()}", limit=limit, window_seconds=3600)
    if by_address is None or by_email is None:
        return RESETS_PAUSED
    return TOO_MANY_RESETS if by_address or by_email else None


def sign_up_over_limit(*, request) -> bool:
    """Accounts created from one address in an hour (a classroom behind one router signs up within it).

    Open while the counters are unavailable: a sign-up sends no email, and turning new students away
    for an outage costs more than a few extra accounts.
    """
    return bool(over_limit(key=f"signup:ip:{client_ip(request) or 'unknown'}", limit=settings.SIGN_UP_LIMIT_PER_HOUR, window_seconds=3600))
