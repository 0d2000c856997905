"""Personal access tokens from the profile: shown once, only a hash at rest, a scope, revocable, last use shown."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken
from api.services.tokens import access_token_create, access_token_revoke
from progress.models import StudyLog
from tests.factories import EnrollmentFactory, UserFactory

from .conftest import TokenClient, token_for

pytestmark = pytest.mark.django_db

SECRET = re.compile(r'data-testid="api-token-secret">([^<]+)<')


def make_token(client, *, name="my phone", scope="write") -> str:
    response = client.post(reverse("api:token_create"), {"name": name, "scope": scope, "next": reverse("progress:profile")})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return SECRET.search(response.content.decode()).group(1)


def test_the_profile_makes_a_token_that_opens_the_api_as_its_owner(student_client, enrollment):
    profile = student_client.get(reverse("progress:profile")).content.decode()
    assert 'data-testid="api-panel"' in profile and reverse("api:token_create") in profile
    secret = make_token(student_client)
    me = TokenClient(secret).get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["email"] == enrollment.user.email
    assert me.json()["token"] == {"id": AccessToken.objects.get().pk, "name": "my phone", "scope": "write"}


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(student_client):
    secret = make_token(student_client)
    token = AccessToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in AccessToken.objects.values_list().get()]
    assert not any(secret in value for value in stored)
    # Neither the profile nor the tokens page shows it again.
    assert secret not in student_client.get(reverse("progress:profile")).content.decode()
    assert secret not in student_client.get(reverse("api:tokens")).content.decode()


def test_a_revoked_token_is_refused_and_shown_revoked(student_client):
    secret = make_token(student_client)
    token = AccessToken.objects.get()
    response = student_client.post(reverse("api:token_revoke", args=[token.pk]), {"next": reverse("progress:profile")})
    assert response.status_code == 302 and response["Location"] == reverse("progress:profile")
    refused = TokenClient(secret).get(reverse("api:me"))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in student_client.get(reverse("progress:profile")).content.decode()


def test_nobody_revokes_another_persons_token(client, enrollment):
    secret = token_for(enrollment.user)
    token = AccessToken.objects.get()
    client.force_login(EnrollmentFactory(cohort=enrollment.cohort).user)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert TokenClient(secret).get(reverse("api:me")).status_code == 200


def test_the_last_use_is_shown_on_the_profile(student_client, enrollment):
    secret = make_token(student_client)
    assert "never used" in student_client.get(reverse("progress:profile")).content.decode()
    TokenClient(secret).get(reverse("api:status"))
    token = AccessToken.objects.get()
    assert timezone.now() - token.last_used_at < dt.timedelta(seconds=10)
    page = student_client.get(reverse("progress:profile")).content.decode()
    assert "last used" in page and "never used" not in page


def test_the_last_use_is_written_at_most_once_a_minute(enrollment, django_assert_num_queries):
    client = TokenClient(token_for(enrollment.user))
    client.get(reverse("api:me"))
    first = AccessToken.objects.get().last_used_at
    with django_assert_num_queries(2):  # the token with its owner, the enrollment: no write
        client.get(reverse("api:me"))
    assert AccessToken.objects.get().last_used_at == first


@pytest.mark.parametrize("header", ["Bearer", "Bearer not-a-token", "Bearer two words", "Bearer " + "x" * 500, "Bearer \u00e9t\u00e9"])
def test_a_token_that_is_not_one_is_a_401(client, enrollment, header):
    response = client.get(reverse("api:me"), headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_deactivated_persons_tokens_stop_working(enrollment):
    secret = token_for(enrollment.user)
    enrollment.user.is_active = False
    enrollment.user.save()
    assert TokenClient(secret).get(reverse("api:me")).status_code == 401


def test_a_read_token_reads_and_a_write_token_writes(student_client, enrollment, lessons):
    read = TokenClient(make_token(student_client, name="dashboard widget", scope="read"))
    write = TokenClient(make_token(student_client, name="phone", scope="write"))
    entry = {"lesson": 1, "minutes": 30, "day": str(enrollment.cohort.opens_on)}
    assert read.get(reverse("api:logs")).status_code == 200
    refused = read.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "k1"})
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_token"
    assert not StudyLog.objects.exists()
    assert write.post(reverse("api:logs"), entry, headers={"Idempotency-Key": "k1"}).status_code == 201
    assert StudyLog.objects.get().minutes == 30


def test_staff_without_an_enrollment_make_tokens_on_the_tokens_page(client, cohort):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("api:tokens")).status_code == 200
    secret = make_token(client, name="cohort report", scope="read")
    assert TokenClient(secret).get(reverse("api:cohort_students")).status_code == 200


def test_a_token_needs_a_name(student_client):
    response = student_client.post(reverse("api:token_create"), {"name": "  ", "scope": "read"})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_tokens_are_listed_in_use_first(student_client, enrollment):
    old = access_token_create(user=enrollment.user, name="old laptop", scope="read")[0]
    access_token_revoke(token=old)
    access_token_create(user=enrollment.user, name="phone", scope="write")
    page = student_client.get(reverse("progress:profile")).content.decode()
    assert page.index("phone") < page.index("old laptop")


def test_staff_see_and_revoke_tokens_in_the_admin_but_never_make_one(admin_client, enrollment):
    secret = token_for(enrollment.user, name="phone")
    token = AccessToken.objects.get()
    listing = admin_client.get(reverse("admin:api_accesstoken_changelist"), {"q": "phone"})
    assert listing.status_code == 200 and "phone" in listing.content.decode() and token.digest not in listing.content.decode()
    assert admin_client.get(reverse("admin:api_accesstoken_add")).status_code == 403
    admin_client.post(reverse("admin:api_accesstoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert TokenClient(secret).get(reverse("api:me")).status_code == 401
