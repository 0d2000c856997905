import pytest
from django.urls import reverse

from progress.models import Accomplishment
from tests.factories import EnrollmentFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db


def add(client, **overrides):
    data = {"title": "Wrote about CNNs", "achieved_on": "2026-11-20", "kind": "article", "link": "https://medium.com/x"}
    data.update(overrides)
    return client.post(reverse("progress:accomplishment_add"), data)


def test_an_accomplishment_shows_on_the_profile_and_dashboard(student_client, enrollment):
    assert add(student_client).status_code == 302
    assert b"Wrote about CNNs" in student_client.get(reverse("progress:profile")).content
    assert b"Wrote about CNNs" in student_client.get(reverse("progress:dashboard")).content


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.com/file"])
def test_only_web_links_are_accepted_and_the_form_keeps_the_title(student_client, link):
    response = add(student_client, link=link)
    assert response.status_code == 200 and form_errors(response)
    assert 'value="Wrote about CNNs"' in response.content.decode()
    assert not Accomplishment.objects.exists()


def test_students_remove_only_their_own(client, cohort):
    owner, other = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    item = Accomplishment.objects.create(enrollment=owner, title="Kaggle bronze", achieved_on="2026-11-01", kind="competition")
    client.force_login(other.user)
    assert client.post(reverse("progress:accomplishment_delete", args=[item.pk])).status_code == 404
    assert Accomplishment.objects.filter(pk=item.pk).exists()
    client.force_login(owner.user)
    client.post(reverse("progress:accomplishment_delete", args=[item.pk]))
    assert not Accomplishment.objects.filter(pk=item.pk).exists()
