"""Personal access tokens: made (the secret returned once, only its hash kept), revoked, and stamped when used."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.forms import nul_characters_check

from ..models import TOKEN_NAME_MAX_LENGTH, AccessToken, token_digest

TOKENS_PER_PERSON = 20  # in use at once: enough for every device and script, few enough to keep track of
# How stale `last_used_at` may get: a token used all day costs one write a minute, not one a request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def access_token_create(*, user, name: str, scope: str) -> tuple[AccessToken, str]:
    """A new token for `user`; returns (the token, its secret). The secret is in no row and no log: the caller
    shows it once."""
    name = (name or "").strip()
    nul_characters_check(name=name)
    errors = {}
    if not name:
        errors["name"] = "Name the token after what will use it (\u201cmy phone\u201d, \u201cbackup script\u201d)."
    elif len(name) > TOKEN_NAME_MAX_LENGTH:
        errors["name"] = f"A name has at most {TOKEN_NAME_MAX_LENGTH} characters."
    if scope not in AccessToken.Scope.values:
        errors["scope"] = "Pick read, or read and write."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        in_use = AccessToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        if len(in_use) >= TOKENS_PER_PERSON:
            raise ValidationError(f"You have {TOKENS_PER_PERSON} tokens in use: revoke one you no longer need first.")
        secret = secrets.token_urlsafe(32)
        token = AccessToken.objects.create(user=user, name=name, scope=scope, digest=token_digest(secret))
    return token, secret


def access_token_revoke(*, token: AccessToken, now: dt.datetime | None = None) -> AccessToken:
    """From now on the token is refused (401). Revoking twice keeps the first time."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def access_token_mark_used(*, token: AccessToken, now: dt.datetime | None = None) -> None:
    """Stamp the token's last use, at most once a minute (one conditional UPDATE, none while the stamp is fresh).

    The one write an API read makes: it is the credential's own bookkeeping, as Django stamps `last_login`."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    AccessToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_PRECISION).update(last_used_at=now)
    token.last_used_at = now
