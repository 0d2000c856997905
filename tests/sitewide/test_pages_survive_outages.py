"""Redis down costs the pages nothing but the cache; PostgreSQL down is a short 503 with Retry-After, one log
line each; a page that needs the job queue says plainly that it is unavailable and changes nothing."""

import os
import socket

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from common import health
from common.timezones import local_today
from notifications import tasks as notifications_tasks
from progress.models import Enrollment, StudyLog
from review.models import EnrollmentImport
from review.services.enrollment_import import enrollment_file_validate, enrollment_import_create
from tests.factories import PASSWORD, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on: Redis "down" answers connection refused there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down():
    """Both Redis caches pointed at a port with no server, as if Redis had stopped."""
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    caches = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": dead, "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True}},
        "throttle": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": dead, "OPTIONS": options},
    }
    with override_settings(CACHES=caches):
        yield


def test_the_settings_give_cache_errors_as_misses_and_sessions_to_the_database(settings):
    if os.environ.get("REDIS_URL"):
        assert settings.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
        assert settings.CACHES["default"]["LOCATION"] != settings.CELERY_BROKER_URL  # a database of its own
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"  # no cache in the way


def test_an_emptied_cache_signs_nobody_out(client):
    """Redis restarted (it keeps nothing on disk): sessions are in the database, never in the cache."""
    enrollment = EnrollmentFactory()
    assert client.post(reverse("accounts:login"), {"username": enrollment.user.email, "password": PASSWORD}).status_code == 302
    cache.clear()
    assert client.get(reverse("progress:dashboard")).status_code == 200


def test_with_redis_down_a_student_logs_in_studies_and_logs_out(client, redis_down):
    enrollment = EnrollmentFactory()
    assert client.post(reverse("accounts:login"), {"username": enrollment.user.email, "password": PASSWORD}).status_code == 302
    assert client.get(reverse("progress:dashboard")).status_code == 200
    today = local_today(time_zone=enrollment.time_zone)
    posted = client.post(reverse("progress:log_create"), {"day": today.isoformat(), "lesson": 2, "minutes": "1h", "notes": ""})
    assert posted.status_code == 302
    assert StudyLog.objects.filter(enrollment=enrollment, day=today, minutes=60).exists()
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "1 h" in page
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("progress:dashboard")).status_code == 302


def test_with_redis_down_staff_pages_serve(client, redis_down):
    EnrollmentFactory()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("cohort:dashboard")).status_code == 200


def test_with_redis_down_password_resets_pause_and_sign_ups_go_on(client, cohort, redis_down, mailoutbox):
    student = EnrollmentFactory(cohort=cohort).user
    paused = client.post(reverse("accounts:password_reset"), {"email": student.email})
    assert paused.status_code == 503 and b"Password resets are paused" in paused.content
    assert mailoutbox == []
    signed_up = client.post(
        reverse("accounts:signup"),
        {"full_name": "Outage Olga", "email": "olga@example.org", "password1": "a-fine-passphrase-1",
         "password2": "a-fine-passphrase-1", "time_zone": "UTC"},
    )
    assert signed_up.status_code == 302


def test_the_database_not_answering_is_a_503_with_retry_after_and_one_log_line(student_client, monkeypatch, log_output):
    from progress.views import dashboard as views

    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(views, "dashboard_context", refused)
    student_client.raise_request_exception = False
    response = student_client.get(reverse("progress:dashboard"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a minute" in response.content.decode()
    lines = [line for line in log_output.getvalue().splitlines() if line.strip()]
    assert lines == ['Service Unavailable: /dashboard/ (database unavailable: connection to server at "127.0.0.1", port 5432 failed: Connection refused)']


def test_healthz_still_reports_the_database_state(client, monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


@pytest.fixture
def broker_down(monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: False)


def test_bulk_enrolment_with_the_job_queue_down_says_so_and_enrols_nobody(client, cohort, broker_down):
    client.force_login(UserFactory(is_staff=True))
    upload = SimpleUploadedFile("students.csv", b"email,full name,time zone\nada@example.org,Ada Lovelace,Europe/London\n")
    response = client.post(f"{reverse('cohort:enroll')}?cohort={cohort.slug}", {"file": upload})
    assert response.status_code == 503
    assert "Background jobs are unavailable right now" in response.content.decode()
    assert not EnrollmentImport.objects.exists() and not Enrollment.objects.filter(cohort=cohort).exists()


def test_an_upload_whose_job_can_not_be_queued_is_marked_failed_not_left_waiting(cohort, django_capture_on_commit_callbacks):

    rows = enrollment_file_validate(text="email,full name,time zone\nada@example.org,Ada,UTC\n")

    def broker_gone(import_id):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with django_capture_on_commit_callbacks(execute=True):
        job = enrollment_import_create(cohort=cohort, rows=rows, enqueue=broker_gone)
    job.refresh_from_db()
    assert job.state == EnrollmentImport.State.FAILED and "did not answer" in job.error
    assert not Enrollment.objects.filter(cohort=cohort).exists()


def test_the_email_preview_sends_a_copy_or_says_the_queue_is_down(client, cohort, monkeypatch, mailoutbox):

    student = EnrollmentFactory(cohort=cohort)
    staff = UserFactory(is_staff=True, email="staff@example.org")
    client.force_login(staff)
    url = reverse("emails_preview")
    data = {"cohort": cohort.slug, "kind": "deadline", "student": student.pk}
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(notifications_tasks.notification_preview_send, "delay", lambda *args: notifications_tasks.notification_preview_send.apply(args=args))
    page = client.post(url, data, follow=True).content.decode()
    assert "A copy is on its way to staff@example.org" in page
    assert [message.to for message in mailoutbox] == [["staff@example.org"]]
    assert mailoutbox[0].subject.startswith(f"[Preview for {student.user.email}]")
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: False)
    page = client.post(url, data, follow=True).content.decode()
    assert "Background jobs are unavailable right now" in page
    assert len(mailoutbox) == 1
