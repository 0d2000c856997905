"""POST /api/v1/logs/ with an Idempotency-Key: a retry (a lost answer, an offline queue sent twice) never logs
twice, and gets the first answer back."""

import pytest
from django.urls import reverse

from api.models import IdempotentRequest
from progress.models import StudyLog
from progress.selectors.numbers import status_for_enrollment
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(enrollment, lessons):
    return {"day": str(enrollment.cohort.opens_on), "lesson": 3, "minutes": 90, "notes": "Chapter 2"}


def test_the_same_key_twice_makes_one_log_and_the_same_answer(api, entry):
    first = api.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "0c6e4a1e-queue-1"})
    again = api.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "0c6e4a1e-queue-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert StudyLog.objects.get().minutes == 90


def test_the_same_key_twice_adds_time_once(api, entry, enrollment):
    api.post(reverse("api:logs"), {**entry, "minutes": 30}, headers={"Idempotency-Key": "first"})
    for _ in range(2):
        added = api.post(reverse("api:logs"), {**entry, "minutes": 20, "add": True}, headers={"Idempotency-Key": "second"})
        assert added.status_code == 200 and added.json()["minutes"] == 50
    assert StudyLog.objects.get().minutes == 50
    assert status_for_enrollment(enrollment=enrollment).numbers.total_minutes == 50


def test_the_key_can_come_in_the_body(api, entry):
    for _ in range(2):
        assert api.post(reverse("api:logs"), {**entry, "idempotency_key": "in-the-body"}).status_code == 201
    assert StudyLog.objects.count() == 1


def test_a_key_reused_for_another_entry_is_refused(api, entry):
    api.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "k"})
    response = api.post(reverse("api:logs"), {**entry, "minutes": 5}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "idempotency_key" in response.json()["errors"]
    assert StudyLog.objects.get().minutes == 90


def test_a_create_without_a_key_is_refused(api, entry):
    response = api.post(reverse("api:logs"), entry)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["idempotency_key"]
    assert not StudyLog.objects.exists()


def test_a_refused_entry_keeps_nothing_so_its_corrected_retry_may_use_the_key(api, entry):
    too_much = api.post(reverse("api:logs"), {**entry, "minutes": 1440, "community_minutes": 60}, headers={"Idempotency-Key": "k"})
    assert too_much.status_code == 400 and "minutes" in too_much.json()["errors"]
    assert not IdempotentRequest.objects.exists()
    fixed = api.post(reverse("api:logs"), {**entry, "minutes": 60}, headers={"Idempotency-Key": "k"})
    assert fixed.status_code == 201 and StudyLog.objects.get().minutes == 60


def test_keys_are_per_student(api, entry, enrollment):
    from .conftest import TokenClient, token_for

    other = EnrollmentFactory(cohort=enrollment.cohort)
    theirs = TokenClient(token_for(other.user))
    assert api.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "same"}).status_code == 201
    assert theirs.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "same"}).status_code == 201
    assert StudyLog.objects.filter(enrollment=other).count() == 1


@pytest.mark.parametrize("key", ["", " padded ", "x" * 256, "tab\tinside"])
def test_a_key_header_that_is_no_key_is_refused(api, entry, key):
    response = api.post(reverse("api:logs"), entry, headers={"Idempotency-Key": key})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["idempotency_key"]
    assert not StudyLog.objects.exists()


@pytest.mark.parametrize("key", ["", " padded ", "x" * 256, "caf\u00e9"])
def test_a_key_field_that_is_no_key_is_refused(api, entry, key):
    response = api.post(reverse("api:logs"), {**entry, "idempotency_key": key})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["idempotency_key"]
    assert not StudyLog.objects.exists()
