"""A token reaches its owner's data only (another student's is 404, as on the pages), a read token never writes,
students never reach staff endpoints, and nobody reaches anything without a token or a session."""

import pytest
from django.urls import reverse

from events.models import Rsvp
from progress.models import StudyLog
from tests.factories import EnrollmentFactory, EventFactory, StudyLogFactory, UserFactory

from .conftest import TokenClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_log(cohort):
    return StudyLogFactory(enrollment=EnrollmentFactory(cohort=cohort), minutes=45)


def test_another_students_log_is_404_to_read_edit_and_delete(api, others_log):
    url = reverse("api:log", args=[others_log.pk])
    for response in (api.get(url), api.patch(url, {"minutes": 1}), api.delete(url)):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    others_log.refresh_from_db()
    assert others_log.minutes == 45


def test_the_log_list_holds_only_the_students_own_logs(api, enrollment, others_log):
    mine = StudyLogFactory(enrollment=enrollment)
    assert [log["id"] for log in api.get(reverse("api:logs")).json()["results"]] == [mine.pk]


def test_a_read_token_never_writes(read_api, enrollment, lessons):
    log = StudyLogFactory(enrollment=enrollment, minutes=30)
    event = EventFactory(cohort=enrollment.cohort)
    attempts = [
        read_api.post(reverse("api:logs"), {"lesson": 1, "minutes": 10}, headers={"Idempotency-Key": "a"}),
        read_api.patch(reverse("api:log", args=[log.pk]), {"minutes": 99}),
        read_api.delete(reverse("api:log", args=[log.pk])),
        read_api.post(reverse("api:event_rsvp", args=[event.pk]), {"going": True}),
    ]
    assert [response.status_code for response in attempts] == [403] * 4
    assert all(response.json()["code"] == "read_only_token" for response in attempts)
    assert list(StudyLog.objects.values_list("minutes", flat=True)) == [30]
    assert not Rsvp.objects.exists()


def test_another_cohorts_event_is_404(api):
    event = EventFactory()  # its own cohort
    assert api.post(reverse("api:event_rsvp", args=[event.pk]), {"going": True}).status_code == 404
    assert not Rsvp.objects.exists()


def test_students_get_403_on_the_staff_endpoint(api):
    response = api.get(reverse("api:cohort_students"))
    assert response.status_code == 403 and response.json()["code"] == "staff_only"


def test_staff_without_an_enrollment_get_403_on_a_students_endpoint(cohort):
    staff = TokenClient(token_for(UserFactory(is_staff=True)))
    response = staff.get(reverse("api:logs"))
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled"


@pytest.mark.parametrize("name", ["api:me", "api:logs", "api:status", "api:cohort_students"])
def test_without_a_token_or_session_the_api_answers_401(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"
