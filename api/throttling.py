"""Requests counted per token (per person on a session, per address before signing in), with DRF's throttling.

The counters live in the "throttle" cache (Redis), which a deploy does not empty. While it does not answer, the
API lets requests through (fails open): every request is already authenticated, and refusing all of them would
turn a cache outage into an API outage.
"""

import logging

import redis.exceptions
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.throttling import client_ip

from .models import AccessToken

logger = logging.getLogger(__name__)


class PerTokenThrottle(SimpleRateThrottle):
    scope = "token"

    def __init__(self):
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        # Read on each request (not once at import as DRF's own), so a changed setting takes effect in tests too.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, AccessToken):
            return f"api:token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"api:user:{request.user.pk}"
        address = client_ip(request)
        return f"api:anon:{address}" if address else None

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except redis.exceptions.RedisError as exc:
            logger.warning("API throttle counters unavailable (%s): request let through", exc)
            return True
