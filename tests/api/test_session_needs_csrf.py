"""Signed in on the site, the API works with the session, and a write needs the CSRF token (a page of another
site can not log time as the student); a token needs none, since no browser sends it by itself."""

import pytest
from django.test import Client
from django.urls import reverse

from api.models import AccessToken
from progress.models import StudyLog

from .conftest import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(enrollment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrollment.user)
    return client


def test_a_session_reads_without_csrf(browser):
    assert browser.get(reverse("api:status")).status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(browser, enrollment, lessons):
    entry = {"lesson": 1, "minutes": 30, "day": str(enrollment.cohort.opens_on)}
    response = browser.post(reverse("api:logs"), entry, content_type="application/json", headers={"Idempotency-Key": "k"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]
    assert not StudyLog.objects.exists()


def test_a_session_write_with_the_csrf_token_works(browser, enrollment, lessons):
    browser.get(reverse("progress:profile"))  # sets the CSRF cookie, as any page does
    token = browser.cookies["csrftoken"].value
    entry = {"lesson": 1, "minutes": 30, "day": str(enrollment.cohort.opens_on)}
    response = browser.post(reverse("api:logs"), entry, content_type="application/json",
                            headers={"Idempotency-Key": "k", "X-CSRFToken": token})
    assert response.status_code == 201
    assert StudyLog.objects.get().minutes == 30


def test_a_token_needs_no_csrf_token(api, enrollment, lessons):
    entry = {"lesson": 1, "minutes": 30, "day": str(enrollment.cohort.opens_on)}
    assert api.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "k"}).status_code == 201


@pytest.mark.parametrize("name", ["api:token_create", "api:token_revoke"])
def test_the_token_forms_need_the_csrf_token(browser, enrollment, name):
    token_for(enrollment.user)
    url = reverse(name, args=[AccessToken.objects.get().pk]) if name == "api:token_revoke" else reverse(name)
    assert browser.post(url, {"name": "x", "scope": "read"}).status_code == 403
    assert AccessToken.objects.filter(revoked_at__isnull=True).count() == 1
