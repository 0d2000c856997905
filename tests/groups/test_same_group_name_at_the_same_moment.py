"""Students making groups of the same name at the same moment: one group is made, and everyone else is told on the
form that the name is taken, never a server error from the `group_names_unique_within_a_cohort` constraint."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from groups.models import Membership, StudyGroup
from tests.factories import EnrollmentFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FORM = {"name": "Lagos evenings", "utc_offset": 1, "weekly_goal_hours": 15, "is_open": "on", "capacity": 25}


def _post_in_a_thread(client, answers):
    def run():
        try:
            answers.append(client.post(reverse("groups:create"), FORM))
        except Exception as exc:  # the test client re-raises what would have been a 500
            answers.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is otherwise read once per transaction
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        return cursor.fetchone()[0] > 0


def test_a_name_taken_after_the_check_and_before_the_insert_is_a_form_error(cohort):
    """The race made certain: another transaction holds an uncommitted group of the name while the request checks
    the name (free) and inserts (it waits on the unique index), then commits."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and pg_stat_activity")
    student = EnrollmentFactory(cohort=cohort)
    client = Client()
    client.force_login(student.user)
    answers = []
    with transaction.atomic():
        StudyGroup.objects.create(cohort=cohort, name=FORM["name"], utc_offset=1, weekly_goal_hours=10)
        thread = _post_in_a_thread(client, answers)
        deadline = time.monotonic() + 20
        while not _waiting_on_a_lock():
            assert time.monotonic() < deadline, "the request never reached the insert"
            time.sleep(0.02)
    thread.join(timeout=20)
    response = answers[0]
    assert not isinstance(response, Exception), response
    assert response.status_code == 200
    assert "A group of this cohort already has that name." in form_errors(response)
    assert StudyGroup.objects.filter(cohort=cohort, name=FORM["name"]).count() == 1
    assert not Membership.objects.filter(enrollment=student).exists()


def test_ten_students_making_one_name_at_once_get_one_group_and_nine_form_errors(cohort):
    students = [EnrollmentFactory(cohort=cohort) for _ in range(10)]
    clients = []
    for student in students:
        client = Client()
        client.force_login(student.user)
        clients.append(client)
    answers = []
    threads = [_post_in_a_thread(client, answers) for client in clients]
    for thread in threads:
        thread.join(timeout=30)
    assert not [answer for answer in answers if isinstance(answer, Exception)]
    assert sorted(answer.status_code for answer in answers) == [200] * 9 + [302]
    assert StudyGroup.objects.filter(cohort=cohort, name=FORM["name"]).count() == 1
    assert Membership.objects.filter(group__name=FORM["name"]).count() == 1
