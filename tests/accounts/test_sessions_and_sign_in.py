"""Signing in goes through Django's ModelBackend (axes first): a password change or deactivation signs the
session out, staff without an enrollment land on the cohort page, a failed log-in hashes once and is counted."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("progress:dashboard")


def test_a_password_changed_elsewhere_signs_the_old_session_out(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.user)
    assert client.get(DASHBOARD).status_code == 200
    enrollment.user.set_password("a-new-long-passphrase")
    enrollment.user.save()
    assert client.get(DASHBOARD)["Location"].startswith(reverse("accounts:login"))


def test_a_deactivated_student_is_signed_out(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.user)
    enrollment.user.is_active = False
    enrollment.user.save()
    assert client.get(DASHBOARD)["Location"].startswith(reverse("accounts:login"))


def test_sessions_signed_in_before_the_backend_changed_still_work(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    assert client.get(DASHBOARD).status_code == 200


def test_staff_without_an_enrolment_are_signed_in_and_sent_to_the_cohort(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("home"))["Location"] == reverse("cohort:dashboard")
    assert client.get(DASHBOARD).status_code == 403  # "not enrolled" page, not an error


@pytest.mark.parametrize("email", ["student@example.com", "nobody@example.com"])
def test_a_failed_login_hashes_the_password_once_and_is_counted(client, email, monkeypatch):
    from axes.models import AccessAttempt
    from django.contrib.auth import base_user as hashers  # where User.check_password and set_password find them

    UserFactory(email="student@example.com")
    hashed = []
    for name in ("check_password", "make_password"):
        original = getattr(hashers, name)
        monkeypatch.setattr(hashers, name, lambda *args, _original=original, _name=name, **kwargs: hashed.append(_name) or _original(*args, **kwargs))
    response = client.post(reverse("accounts:login"), {"username": email, "password": "not-the-password"})
    assert response.status_code == 200 and b"Please enter a correct email" in response.content
    assert len(hashed) == 1
    assert AccessAttempt.objects.get().failures_since_start == 1
