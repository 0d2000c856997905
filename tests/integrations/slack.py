"""Slash commands as Slack sends them (a signed x-www-form-urlencoded POST) and reads the answer (JSON, ephemeral)."""

import hashlib
import hmac
import itertools
import time
from urllib.parse import urlencode

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
URL = "/integrations/slack/commands"
TRIGGERS = itertools.count(13345224609)


def slack_body(text: str, user_id: str = "U2147483697", team_id: str = "T0001") -> str:
    # The fields Slack documents for a slash command, in its order; each request has its own trigger_id.
    return urlencode({
        "token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": team_id, "team_domain": "pytorch-scholars", "enterprise_id": "",
        "channel_id": "C2147483705", "channel_name": "study", "user_id": user_id, "user_name": "grace", "command": "/study",
        "text": text, "api_app_id": "A123456", "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/1234/5678", "trigger_id": f"{next(TRIGGERS)}.738474920.8088930838d88f008e0",
    })


def signed(body: str, *, secret: str = SECRET, at: int | None = None) -> dict:
    timestamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp, "HTTP_X_SLACK_SIGNATURE": f"v0={digest}"}


def command(client, text: str, **kwargs) -> str:
    body = slack_body(text, **kwargs)
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded", **signed(body))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    return answer["text"]
