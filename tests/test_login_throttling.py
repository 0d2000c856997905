import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, EnrollmentFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def attempt(client, email, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_even_for_the_right_password_until_the_cool_off_ends(client):
    student = EnrollmentFactory().user
    for n in range(4):
        response = attempt(client, student.email.upper() if n % 2 else student.email, "wrong")  # case does not help
        assert response.status_code == 200 and b"Please enter a correct" in response.content
    assert attempt(client, student.email, "wrong").status_code == 429  # the fifth failure locks
    locked = attempt(client, student.email, PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert attempt(client, student.email, PASSWORD, address="10.9.9.9").status_code == 429  # the account, from anywhere
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(client, student.email, PASSWORD).status_code == 302


def test_five_failures_from_one_address_lock_that_address(client):
    victims = [EnrollmentFactory().user for _ in range(5)]
    for victim in victims:
        attempt(client, victim.email, "guess", address="10.6.6.6")
    bystander = EnrollmentFactory().user
    assert attempt(client, bystander.email, PASSWORD, address="10.6.6.6").status_code == 429
    assert attempt(client, bystander.email, PASSWORD, address="10.7.7.7").status_code == 302


def test_a_success_clears_earlier_failures(client):
    student = EnrollmentFactory().user
    for _ in range(4):
        attempt(client, student.email, "wrong")
    assert attempt(client, student.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, student.email, "wrong")
    assert attempt(client, student.email, PASSWORD).status_code == 302


def test_password_reset_requests_are_throttled_without_saying_whether_the_email_exists(client):
    student = EnrollmentFactory().user
    url = reverse("accounts:password_reset")
    for _ in range(5):
        assert client.post(url, {"email": student.email}, REMOTE_ADDR="10.1.1.1").status_code == 302
    assert len(mail.outbox) == 5
    refused_known = client.post(url, {"email": student.email}, REMOTE_ADDR="10.1.1.1")
    refused_unknown = client.post(url, {"email": "nobody@example.org"}, REMOTE_ADDR="10.1.1.1")
    assert refused_known.status_code == refused_unknown.status_code == 429
    assert b"Too many reset requests" in refused_known.content and b"Too many reset requests" in refused_unknown.content
    assert len(mail.outbox) == 5
    # Before the limit, a made-up address gets the same answer as a real one.
    assert client.post(url, {"email": "ghost@example.org"}, REMOTE_ADDR="10.2.2.2")["Location"] == reverse("accounts:password_reset_done")
