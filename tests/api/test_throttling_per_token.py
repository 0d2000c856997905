"""Each token has its own allowance of requests: one script in a loop is stopped (429, with Retry-After), and
the student's other tokens go on working."""

import pytest
from django.urls import reverse

from .conftest import TokenClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}


def test_a_token_over_its_rate_gets_429_and_the_others_do_not(three_a_minute, enrollment):
    looping, phone = TokenClient(token_for(enrollment.user, name="loop")), TokenClient(token_for(enrollment.user, name="phone"))
    assert [looping.get(reverse("api:me")).status_code for _ in range(3)] == [200, 200, 200]
    stopped = looping.get(reverse("api:me"))
    assert stopped.status_code == 429
    assert stopped["Content-Type"] == "application/problem+json" and stopped.json()["code"] == "throttled"
    assert 0 < int(stopped["Retry-After"]) <= 60
    assert phone.get(reverse("api:me")).status_code == 200


def test_the_api_works_while_the_throttle_counters_are_down(three_a_minute, enrollment, monkeypatch):
    import redis.exceptions
    from django.core.cache import caches

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(caches["throttle"], "get", down)
    client = TokenClient(token_for(enrollment.user))
    assert [client.get(reverse("api:me")).status_code for _ in range(5)] == [200] * 5
