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


def behind_proxy(forwarded: str, proxy: str = "10.0.0.11") -> dict:
    """What a web server sees of a request nginx passed on: nginx's address, and the header it appended to."""
    return {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    return settings


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (behind_proxy("203.0.113.7"), "203.0.113.7"),
        (behind_proxy("198.51.100.1, 203.0.113.7"), "203.0.113.7"),  # the client wrote the first one itself
        (behind_proxy("not-an-address, 203.0.113.7"), "203.0.113.7"),
        (behind_proxy("garbage"), "10.0.0.11"),
        ({"REMOTE_ADDR": "10.0.0.11"}, "10.0.0.11"),
        ({"REMOTE_ADDR": "10.0.0.11", "HTTP_X_REAL_IP": "198.51.100.1"}, "10.0.0.11"),  # no other header is read
        (behind_proxy("198.51.100.1", proxy="203.0.113.99"), "203.0.113.99"),  # a direct client can not choose
    ],
)
def test_the_client_address_behind_one_proxy(rf, one_proxy, meta, expected):
    from accounts.throttling import client_ip

    assert client_ip(rf.get("/", **meta)) == expected


def test_without_a_proxy_the_header_is_ignored(rf, settings):
    from accounts.throttling import client_ip

    settings.PROXY_COUNT = 0
    assert client_ip(rf.get("/", **behind_proxy("198.51.100.1"))) == "10.0.0.11"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(rf, settings):
    from accounts.throttling import client_ip

    settings.PROXY_COUNT = 2
    assert client_ip(rf.get("/", **behind_proxy("198.51.100.1, 203.0.113.7, 10.0.0.20"))) == "203.0.113.7"


def test_two_students_behind_the_proxy_are_locked_out_apart(client, one_proxy):
    victims = [EnrollmentFactory().user for _ in range(5)]
    for victim in victims:
        client.post(LOGIN, {"username": victim.email, "password": "guess"}, **behind_proxy("203.0.113.66"))
    bystander = EnrollmentFactory().user
    assert client.post(LOGIN, {"username": bystander.email, "password": PASSWORD}, **behind_proxy("203.0.113.66")).status_code == 429
    assert client.post(LOGIN, {"username": bystander.email, "password": PASSWORD}, **behind_proxy("203.0.113.67")).status_code == 302


def test_password_resets_behind_the_proxy_count_per_client(client, one_proxy):
    url = reverse("accounts:password_reset")
    for n in range(6):
        client.post(url, {"email": f"someone{n}@example.org"}, **behind_proxy("203.0.113.10"))
    assert client.post(url, {"email": "fresh@example.org"}, **behind_proxy("203.0.113.10")).status_code == 429
    assert client.post(url, {"email": "fresh@example.org"}, **behind_proxy("203.0.113.11")).status_code == 302


def test_sign_ups_are_limited_per_address(client, settings, cohort):
    settings.SIGN_UP_LIMIT_PER_HOUR = 2

    def sign_up(n, address):
        return client.post(
            reverse("accounts:signup"),
            {"full_name": f"New {n}", "email": f"new{n}@example.org", "password1": "a-fine-passphrase-1",
             "password2": "a-fine-passphrase-1", "time_zone": "UTC"},
            REMOTE_ADDR=address,
        )

    assert sign_up(1, "10.4.4.4").status_code == 302
    client.logout()
    assert sign_up(2, "10.4.4.4").status_code == 302
    client.logout()
    refused = sign_up(3, "10.4.4.4")
    assert refused.status_code == 429 and b"Too many sign-ups" in refused.content
    assert sign_up(4, "10.5.5.5").status_code == 302
