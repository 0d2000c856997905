"""A signature header Slack would never send (non-ASCII, with a fresh timestamp) is refused like any bad one: a 401."""

import time

import pytest

from progress.models import StudyLog
from tests.integrations.slack import URL, slack_body


@pytest.mark.parametrize("signature", ["v0=" + "é" * 64, "v0=ünïcödé", "v0=" + "\u2603" * 10, "é"],
                         ids=["latin-1-hex-length", "latin-1-short", "beyond-latin-1", "one-letter"])
def test_a_non_ascii_signature_with_a_fresh_timestamp_is_401(client, db, signature):
    body = slack_body("1h L3")
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded",
                           HTTP_X_SLACK_REQUEST_TIMESTAMP=str(int(time.time())), HTTP_X_SLACK_SIGNATURE=signature)
    assert response.status_code == 401
    assert response.content == b"Invalid request signature."
    assert not StudyLog.objects.exists()
