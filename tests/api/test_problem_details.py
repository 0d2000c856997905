"""Every refusal of the API is `application/problem+json` (RFC 9457) naming each field at fault, whether a
serializer refused it or a service (the 24-hours rule, a day outside the course) did."""

import datetime as dt

import pytest
from django.urls import reverse

from progress.models import StudyLog
from tests.factories import StudyLogFactory

pytestmark = pytest.mark.django_db

PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "errors", "instance"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_FIELDS
    assert body["status"] == status and body["type"] == "about:blank" and body["title"] and body["detail"]
    return body


def test_invalid_fields_are_named_one_by_one(api, lessons):
    body = assert_problem(api.post(reverse("api:logs"), {"lesson": 11, "minutes": 0, "day": "31/12"},
                                   headers={"Idempotency-Key": "k"}), 400)
    assert set(body["errors"]) == {"lesson", "minutes", "day"}
    assert body["errors"]["lesson"] == ["There is no lesson 11."]
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())
    assert body["code"] == "invalid"


def test_a_services_refusal_is_a_400_on_its_field(api, enrollment, lessons):
    StudyLogFactory(enrollment=enrollment, day=enrollment.cohort.opens_on, minutes=23 * 60)
    full = assert_problem(api.post(reverse("api:logs"), {"lesson": 1, "minutes": 90, "day": str(enrollment.cohort.opens_on)},
                                   headers={"Idempotency-Key": "k"}), 400)
    assert list(full["errors"]) == ["minutes"] and "A day has 24 hours" in full["errors"]["minutes"][0]
    future = dt.date.today() + dt.timedelta(days=3)
    later = assert_problem(api.post(reverse("api:logs"), {"lesson": 1, "minutes": 30, "day": str(future)},
                                    headers={"Idempotency-Key": "k2"}), 400)
    assert list(later["errors"]) == ["day"] and "future" in later["errors"]["day"][0]
    assert StudyLog.objects.count() == 1


def test_an_event_that_started_is_a_400_for_the_request_as_a_whole(api, enrollment):
    from django.utils import timezone

    from tests.factories import EventFactory

    event = EventFactory(cohort=enrollment.cohort, starts_at=timezone.now() - dt.timedelta(hours=1))
    body = assert_problem(api.post(reverse("api:event_rsvp", args=[event.pk]), {"going": True}), 400)
    assert body["errors"] == {"non_field_errors": ["That event has already started."]}


def test_not_json_is_a_400_and_another_media_type_a_415(api):
    assert_problem(api.post(reverse("api:logs"), "{not json", headers={"Idempotency-Key": "k"}), 400)
    assert_problem(api.post(reverse("api:logs"), "lesson=1", content_type="application/x-www-form-urlencoded"), 415)


def test_an_address_the_api_does_not_have_is_a_404_problem(api):
    body = assert_problem(api.get("/api/v1/nothing-here/"), 404)
    assert body["instance"] == "/api/v1/nothing-here/"
    assert "Did you mean /api/v1/logs/?" in assert_problem(api.post("/api/v1/logs", {}), 404)["detail"]


def test_a_method_an_endpoint_does_not_take_is_a_405_problem(api):
    assert assert_problem(api.delete(reverse("api:logs")), 405)["code"] == "method_not_allowed"


def test_a_page_past_the_last_is_a_404_problem(api):
    assert_problem(api.get(reverse("api:logs"), {"page": "99"}), 404)
    assert_problem(api.get(reverse("api:logs"), {"page": "nan"}), 404)


def test_the_slash_hint_names_only_an_endpoint(api):
    assert "Did you mean" not in api.get("/api/v1/nothing").json()["detail"]
