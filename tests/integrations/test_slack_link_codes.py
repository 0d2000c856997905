"""Slack link codes can not be guessed: 80 bits shown in groups a person can type, good for an hour only, and
tries to use one are limited per Slack user and per address."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import LINK_CODE_ALPHABET, SlackLink, SlackLinkCode
from integrations.services import linking
from tests.factories import EnrollmentFactory
from tests.integrations.slack import URL, signed, slack_body


def send(client, text: str, *, user_id: str = "U2147483697", address: str = "127.0.0.1") -> str:
    body = slack_body(text, user_id=user_id)
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=address, **signed(body))
    assert response.status_code == 200, response.content
    return response.json()["text"]


def shown_code(client, enrollment) -> str:
    """The code as the profile shows it, after "Show me a link code"."""
    client.force_login(enrollment.user)
    client.post(reverse("integrations:slack_code"))
    page = client.get(reverse("progress:profile")).content.decode()
    client.logout()
    return re.search(r'data-testid="slack-code">([^<]*)<', page).group(1)


@pytest.fixture
def student(db, cohort):
    return EnrollmentFactory(cohort=cohort, time_zone="Asia/Tokyo")


def test_the_profile_shows_an_80_bit_code_in_groups_of_four_with_the_hour_it_ends(client, student):
    code = shown_code(client, student)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
    assert set(code.replace("-", "")) <= set(LINK_CODE_ALPHABET)  # 32 symbols: 16 of them are 80 bits
    client.force_login(student.user)
    page = client.get(reverse("progress:profile")).content.decode()
    ends = SlackLinkCode.objects.get(enrollment=student).created_at + dt.timedelta(hours=1)
    assert f"until <span data-testid=\"slack-code-expires\">{ends.astimezone(dt.timezone(dt.timedelta(hours=9))):%H:%M}</span> your time" in page
    client.logout()
    assert send(client, f"link {code.replace('-', ' ').lower()}").startswith("Linked:")  # typed loosely, still the code


def test_a_code_older_than_an_hour_never_links_and_the_profile_offers_a_new_one(client, student):
    code = shown_code(client, student)
    SlackLinkCode.objects.filter(enrollment=student).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    assert "more than an hour old" in send(client, f"link {code}")
    assert not SlackLink.objects.exists()
    client.force_login(student.user)
    assert "Show me a link code" in client.get(reverse("progress:profile")).content.decode()
    client.logout()
    fresh = shown_code(client, student)
    assert fresh != code
    assert send(client, f"link {fresh}").startswith("Linked:")


def test_a_code_made_59_minutes_ago_still_links(client, student):
    code = shown_code(client, student)
    SlackLinkCode.objects.filter(enrollment=student).update(created_at=timezone.now() - dt.timedelta(minutes=59))
    assert send(client, f"link {code}").startswith("Linked:")


def test_a_slack_user_who_keeps_guessing_is_stopped_even_with_the_right_code(client, student, monkeypatch):
    monkeypatch.setattr(linking, "LINK_TRIES_PER_SLACK_USER_PER_HOUR", 3)
    code = shown_code(client, student)
    for guess in ("AAAA-AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC-CCCC"):
        assert "not one we gave out" in send(client, f"link {guess}", user_id="UGUESSER")
    assert "too many tries" in send(client, f"link {code}", user_id="UGUESSER")
    assert not SlackLink.objects.exists()
    assert send(client, f"link {code}", user_id="UOWNER").startswith("Linked:")  # others are not held up


def test_guesses_from_one_address_are_stopped_across_slack_users(client, student, monkeypatch):
    monkeypatch.setattr(linking, "LINK_TRIES_PER_ADDRESS_PER_HOUR", 3)
    code = shown_code(client, student)
    for number in range(3):
        assert "not one we gave out" in send(client, "link AAAA-AAAA-AAAA-AAAA", user_id=f"UBOT{number}", address="203.0.113.9")
    assert "too many tries" in send(client, f"link {code}", user_id="UBOT9", address="203.0.113.9")
    assert send(client, f"link {code}", user_id="UOWNER", address="198.51.100.7").startswith("Linked:")
