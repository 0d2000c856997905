"""Limits on attempts that an attacker would repeat: logins (via django-axes) and password-reset requests."""

from django.conf import settings
from django.core.cache import cache


def login_username(request, credentials) -> str:
    """The account a login attempt targets, compared without case (logins are email addresses)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more hit on `key` in the current window; True once the count passes `limit`."""
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit


def password_reset_over_limit(*, request, email: str) -> bool:
    """Per address and per email, so neither a flood nor a targeted stream gets through."""
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    by_address = over_limit(key=f"reset:ip:{client_address(request)}", limit=limit, window_seconds=3600)
    by_email = over_limit(key=f"reset:email:{email.strip().lower()}", limit=limit, window_seconds=3600)
    return by_address or by_email
