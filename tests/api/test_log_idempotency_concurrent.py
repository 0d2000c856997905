"""Two tabs (or a retry racing the first attempt) sending the same queued entry at once: one log, one answer."""

import pytest
from django.urls import reverse

from api.services import logs as idempotent_logs
from progress.models import StudyLog
from tests.factories import EnrollmentFactory
from tests.helpers import at_once, held_until_both_read

from .conftest import TokenClient, token_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_key_sent_twice_at_once_makes_one_log(monkeypatch):
    enrollment = EnrollmentFactory()
    secret = token_for(enrollment.user)
    entry = {"lesson": 2, "minutes": 40, "day": str(enrollment.cohort.opens_on), "add": True}

    # Hold each request just after it has looked for the key, until the other has looked too (or a second has
    # passed). Without the student's lock both find none, and the second runs the service again (only the key's
    # unique constraint then stops it, as a 500); with it the second looks after the first has committed its answer.
    held_until_both_read(monkeypatch, idempotent_logs, "stored_answer")
    answers = []

    def send():
        response = TokenClient(secret).post(reverse("api:logs"), entry, headers={"Idempotency-Key": "tab"})
        answers.append((response.status_code, response.json()))

    at_once(send, send)

    assert list(StudyLog.objects.filter(enrollment=enrollment).values_list("minutes", flat=True)) == [40]
    assert [status for status, _ in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
