"""The slash-command endpoint (signed by Slack, so CSRF-exempt), and unlinking from the profile."""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.throttling import client_ip, over_limit
from progress.decorators import enrollment_required

from .forms import SlashCommandForm
from .services.commands import slack_command_answer
from .services.linking import link_code_for, slack_unlink
from .services.requests import SlackRequestRefused, slack_request_verify

logger = logging.getLogger(__name__)


def _ephemeral(text: str) -> JsonResponse:
    return JsonResponse({"response_type": "ephemeral", "text": text})


@csrf_exempt
@require_POST
def slack_command(request):
    """Slack's signature is this endpoint's guard: anything not signed with our secret, stale or replayed is a 401."""
    try:
        slack_request_verify(
            body=request.body, timestamp=request.headers.get("X-Slack-Request-Timestamp"),
            signature=request.headers.get("X-Slack-Signature"),
        )
    except SlackRequestRefused as exc:
        logger.warning("Slack request refused: %s", exc)
        return HttpResponse("Invalid request signature.", status=401, content_type="text/plain")
    form = SlashCommandForm(request.POST)
    if not form.is_valid():
        return _ephemeral("That request was not one `/study` understands. `/study help` lists what it does.")
    data = form.cleaned_data
    limited = over_limit(
        key=f"slack:{data['team_id']}:{data['user_id']}", limit=settings.SLACK_COMMANDS_PER_MINUTE, window_seconds=60
    )
    if limited:  # fails open while the counters are down: every request is signed, and logging is the student's own
        return _ephemeral("That is a lot of `/study` at once: wait a minute and try again.")
    return _ephemeral(slack_command_answer(
        team_id=data["team_id"], slack_user_id=data["user_id"], text=data["text"], address=client_ip(request)
    ))


@enrollment_required
@require_POST
def slack_code_view(request, *, enrollment):
    link_code_for(enrollment=enrollment)
    return redirect(reverse("progress:profile") + "#slack-heading")


@enrollment_required
@require_POST
def slack_unlink_view(request, *, enrollment):
    if slack_unlink(enrollment=enrollment):
        messages.success(request, "Your chat account is unlinked: `/study` there no longer logs for you.")
    return redirect("progress:profile")
