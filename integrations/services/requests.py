"""Slack's request signature (v0: HMAC-SHA256 of "v0:timestamp:body" with the signing secret), checked by
slack-sdk's SignatureVerifier (timestamps at most 5 minutes off, a constant-time compare), and a replay refused."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from slack_sdk.signature import SignatureVerifier

from ..models import SlackRequestSeen

FRESH_FOR = dt.timedelta(minutes=5)


class SlackRequestRefused(Exception):
    """Not from Slack, too old, or sent before: answered with 401, nothing changed."""


class _Clock:
    def __init__(self, now: dt.datetime):
        self._now = now

    def now(self) -> float:
        return self._now.timestamp()


def slack_request_verify(*, body: bytes, timestamp: str | None, signature: str | None, now: dt.datetime | None = None) -> None:
    """Raise SlackRequestRefused unless the request is signed with our secret, fresh, and new."""
    now = now or timezone.now()
    secret = settings.SLACK_SIGNING_SECRET
    if not secret:
        raise SlackRequestRefused("the Slack integration has no signing secret (SLACK_SIGNING_SECRET)")
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise SlackRequestRefused("no or malformed timestamp header")
    # Slack's signature is "v0=" and hex; anything else is refused here, before a compare that can not take it
    # (hmac.compare_digest raises TypeError on non-ASCII text).
    if not signature or not signature.isascii() or len(signature) > 80:
        raise SlackRequestRefused("no or malformed signature header")
    try:
        valid = SignatureVerifier(secret, clock=_Clock(now)).is_valid(body=body, timestamp=timestamp, signature=signature)
    except UnicodeDecodeError:
        valid = False
    if not valid:
        raise SlackRequestRefused("bad signature or stale timestamp")
    SlackRequestSeen.objects.filter(seen_at__lt=now - 2 * FRESH_FOR).delete()  # past the freshness window: a replay fails anyway
    try:
        with transaction.atomic():
            SlackRequestSeen.objects.create(signature=signature, timestamp=int(timestamp))
    except IntegrityError as exc:
        raise SlackRequestRefused("replayed request") from exc
