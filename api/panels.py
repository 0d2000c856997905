"""The profile's panel: your API tokens, and a form for a new one."""

from django.urls import reverse

from .forms import AccessTokenForm
from .selectors import access_tokens_for_user


def tokens_context(*, request, form=None, back: str = "") -> dict:
    return {
        "tokens": access_tokens_for_user(user=request.user),
        "token_form": form or AccessTokenForm(),
        "back": back,
        "docs_url": reverse("api:docs"),
    }


def profile_tokens_context(*, request, enrollment) -> dict:
    return tokens_context(request=request, back=reverse("progress:profile") + "#api-heading")
