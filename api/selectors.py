"""Reading tokens: the one a request presents, a person's list, one of theirs (404 for anyone else's)."""

from django.db.models import F
from django.http import Http404

from .models import AccessToken, token_digest


def access_token_for_secret(*, secret: str) -> AccessToken | None:
    """The token in use with this secret, with its owner (one query); None for an unknown or revoked one."""
    return AccessToken.objects.select_related("user").filter(digest=token_digest(secret), revoked_at__isnull=True).first()


def access_tokens_for_user(*, user) -> list[AccessToken]:
    """Those in use first, newest first; then the revoked ones."""
    return list(AccessToken.objects.filter(user=user).order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"))


def access_token_get_for_user(*, user, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404("No such token.")
    return token
