"""The HTML side of tokens: the list and form (also a panel of the profile), making one (its secret shown on the
answer to the POST, once, stored nowhere), and revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common.forms import form_submit, safe_next

from ..forms import AccessTokenForm
from ..panels import tokens_context
from ..selectors import access_token_get_for_user
from ..services.tokens import access_token_create, access_token_revoke


@login_required
@require_GET
def tokens(request):
    """Everyone signed in (staff who have no profile page too)."""
    return render(request, "api/tokens.html", tokens_context(request=request))


@login_required
@require_POST
@never_cache
def token_create(request):
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        ok, result = form_submit(form, access_token_create, user=request.user)
        if ok:
            token, secret = result
            back = safe_next(request, reverse("api:tokens"))
            return render(request, "api/token_created.html", {"token": token, "secret": secret, "back": back})
    return render(request, "api/tokens.html", tokens_context(request=request, form=form), status=400)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = access_token_revoke(token=access_token_get_for_user(user=request.user, token_id=pk))
    messages.success(request, f"Revoked \u201c{token.name}\u201d: it no longer opens the API.")
    return HttpResponseRedirect(safe_next(request, reverse("api:tokens")))
