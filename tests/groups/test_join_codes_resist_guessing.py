"""Join codes are 65 bits, and wrong ones are throttled per account and per address, with a clear message (never a
500); the right code still works however it is typed, and a classroom behind one address can all join."""

import importlib
import string

import pytest
import redis.exceptions
from django.apps import apps
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from groups import throttling
from groups.models import JOIN_CODE_ALPHABET, Membership, StudyGroup
from tests.factories import EnrollmentFactory, StudyGroupFactory
from tests.helpers import form_errors

TOO_MANY = "Too many wrong join codes in the last hour"


@pytest.fixture
def closed(cohort):
    return StudyGroupFactory(cohort=cohort, is_open=False, name="Invite only")


def _client(enrollment, address="203.0.113.7"):
    client = Client(REMOTE_ADDR=address)
    client.force_login(enrollment.user)
    return client


def test_a_new_code_carries_at_least_64_bits_in_letters_that_are_not_misread(cohort):
    codes = {StudyGroupFactory(cohort=cohort).join_code for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 13 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)
    assert len(JOIN_CODE_ALPHABET) ** 13 >= 2**64
    assert not set("ILOU") & set(JOIN_CODE_ALPHABET)


def test_the_code_is_shown_in_parts_and_taken_as_typed_or_read_out(client, cohort, closed):
    StudyGroup.objects.filter(pk=closed.pk).update(join_code="7K3MQ9XD2HPA1")
    member = Membership.objects.create(enrollment=EnrollmentFactory(cohort=cohort), group=closed).enrollment
    client.force_login(member.user)
    assert 'data-testid="join-code">7K3M-Q9XD-2HPA1<' in client.get(reverse("groups:detail", args=[closed.pk])).content.decode()
    joiner = EnrollmentFactory(cohort=cohort)
    client.force_login(joiner.user)
    assert client.post(reverse("groups:join_code"), {"join_code": " 7k3m-q9xd-2hpa-l "}).status_code == 302  # l read as 1
    assert Membership.objects.get(enrollment=joiner).group == closed


def test_the_migration_gives_every_existing_group_a_new_long_code(cohort):
    old = StudyGroupFactory(cohort=cohort)
    StudyGroup.objects.filter(pk=old.pk).update(join_code="A1B2C3D4")
    importlib.import_module("groups.migrations.0002_join_codes_of_65_bits").new_codes(apps, None)
    old.refresh_from_db()
    assert old.join_code != "A1B2C3D4" and len(old.join_code) == 13


def test_wrong_codes_from_one_account_are_refused_unchecked_after_ten(cohort, closed):
    guesser = EnrollmentFactory(cohort=cohort)
    client = _client(guesser)
    for attempt in range(throttling.WRONG_CODES_PER_ACCOUNT):
        response = client.post(reverse("groups:join_code"), {"join_code": f"{attempt:013d}"})
        assert response.status_code == 400
        assert any("No group of your cohort has that code" in error for error in form_errors(response))
    response = client.post(reverse("groups:join_code"), {"join_code": closed.join_code})  # even the right one, now
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert not Membership.objects.filter(enrollment=guesser).exists()
    # the same account from another address is still refused; another account is not
    assert _client(guesser, address="198.51.100.1").post(reverse("groups:join_code"), {"join_code": closed.join_code}).status_code == 429
    other = EnrollmentFactory(cohort=cohort)
    assert _client(other).post(reverse("groups:join_code"), {"join_code": closed.join_code}).status_code == 302


def test_wrong_codes_from_one_address_are_refused_across_accounts(cohort, closed):
    for attempt in range(throttling.WRONG_CODES_PER_ADDRESS):
        client = _client(EnrollmentFactory(cohort=cohort)) if attempt % 5 == 0 else client
        client.post(reverse("groups:join_code"), {"join_code": f"{attempt:013d}"})
    newcomer = EnrollmentFactory(cohort=cohort)
    response = _client(newcomer).post(reverse("groups:join_code"), {"join_code": closed.join_code})
    assert response.status_code == 429 and TOO_MANY in response.content.decode()
    assert _client(newcomer, address="198.51.100.1").post(reverse("groups:join_code"), {"join_code": closed.join_code}).status_code == 302


def test_guessing_one_closed_group_by_its_join_button_is_throttled_too(cohort, closed):
    guesser = EnrollmentFactory(cohort=cohort)
    client = _client(guesser)
    url = reverse("groups:join", args=[closed.pk])
    for letter in string.ascii_uppercase[: throttling.WRONG_CODES_PER_ACCOUNT]:
        page = client.post(url, {"join_code": letter * 13}, follow=True).content.decode()
        assert "That is not this group&#x27;s join code." in page
    page = client.post(url, {"join_code": closed.join_code}, follow=True).content.decode()
    assert TOO_MANY in page
    assert not Membership.objects.filter(enrollment=guesser).exists()


def test_a_classroom_behind_one_address_all_join_with_the_right_code(cohort):
    group = StudyGroupFactory(cohort=cohort, is_open=False, capacity=60)
    students = [EnrollmentFactory(cohort=cohort) for _ in range(throttling.WRONG_CODES_PER_ADDRESS + 5)]
    for student in students:
        assert _client(student).post(reverse("groups:join_code"), {"join_code": group.join_code.lower()}).status_code == 302
    assert group.memberships.count() == len(students)


def test_with_the_counters_down_codes_are_still_checked_and_nothing_fails(cohort, closed, monkeypatch):
    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(caches["throttle"], "get_many", down)
    monkeypatch.setattr(caches["throttle"], "add", down)
    client = _client(EnrollmentFactory(cohort=cohort))
    assert client.post(reverse("groups:join_code"), {"join_code": "0" * 13}).status_code == 400
    assert client.post(reverse("groups:join_code"), {"join_code": closed.join_code}).status_code == 302
