import pytest
from django.urls import reverse

from progress.models import StudyLog
from tests.factories import EnrollmentFactory, StudyLogFactory

pytestmark = pytest.mark.django_db

STUDENT_PAGES = [
    reverse("progress:dashboard"),
    reverse("progress:log_list"),
    reverse("progress:log_create"),
    reverse("progress:profile"),
    reverse("lessons:list"),
    reverse("lessons:detail", args=["introduction-to-neural-networks"]),
]


@pytest.mark.parametrize("url", STUDENT_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("name", ["progress:log_edit", "progress:log_delete"])
def test_anonymous_visitors_can_not_reach_a_log(client, name):
    log = StudyLogFactory()
    assert client.get(reverse(name, args=[log.pk])).status_code == 302


@pytest.mark.parametrize("name", ["progress:log_edit", "progress:log_delete"])
def test_another_students_log_is_404_on_view_edit_and_delete(client, cohort, name):
    owner_log = StudyLogFactory(enrollment=EnrollmentFactory(cohort=cohort), minutes=60, notes="mine")
    intruder = EnrollmentFactory(cohort=cohort)
    client.force_login(intruder.user)
    url = reverse(name, args=[owner_log.pk])
    assert client.get(url).status_code == 404
    post = client.post(url, {"day": owner_log.day.isoformat(), "lesson": owner_log.lesson_id, "minutes": "9"})
    assert post.status_code == 404
    owner_log.refresh_from_db()
    assert (owner_log.minutes, owner_log.notes) == (60, "mine")
    assert StudyLog.objects.filter(pk=owner_log.pk).exists()


def test_log_list_shows_only_the_students_own_logs(client, cohort):
    StudyLogFactory(enrollment=EnrollmentFactory(cohort=cohort), notes="someone else's secret")
    me = EnrollmentFactory(cohort=cohort)
    StudyLogFactory(enrollment=me, notes="my own note")
    client.force_login(me.user)
    html = client.get(reverse("progress:log_list")).content.decode()
    assert "my own note" in html
    assert "secret" not in html


def test_lesson_marks_are_per_student(client, cohort):
    other = EnrollmentFactory(cohort=cohort)
    me = EnrollmentFactory(cohort=cohort)
    client.force_login(me.user)
    client.post(reverse("lessons:mark", args=["welcome"]), {"done": "1"})
    assert me.lesson_progress.count() == 1
    assert other.lesson_progress.count() == 0


def test_signed_in_staff_without_an_enrolment_get_a_clear_page(client, django_user_model):
    staff = django_user_model.objects.create_user(email="staff@example.org", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("progress:dashboard"))
    assert response.status_code == 403
    assert b"not enrolled" in response.content


def test_marking_a_lesson_needs_a_post(student_client):
    assert student_client.get(reverse("lessons:mark", args=["welcome"])).status_code == 405
