import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from progress.models import LessonProgress, ProjectSubmission
from progress.services.reflection import project_submit
from tests.factories import CohortFactory, EnrollmentFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db
ONE_SECOND = dt.timedelta(seconds=1)


def submit(enrollment, now, url="https://github.com/me/flowers"):
    return project_submit(enrollment=enrollment, url=url, description="A flower classifier", score=None, now=now)


def test_accepted_one_second_before_the_cutoff_and_marks_the_project_lesson_done(enrollment):
    submit(enrollment, now=enrollment.cohort.cutoff_at - ONE_SECOND)
    assert ProjectSubmission.objects.get(enrollment=enrollment).url == "https://github.com/me/flowers"
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson__is_final_project=True).exists()


@pytest.mark.parametrize("after", [dt.timedelta(0), ONE_SECOND])
def test_refused_at_and_after_the_cutoff_instant(enrollment, after):
    with pytest.raises(ValidationError) as excinfo:
        submit(enrollment, now=enrollment.cohort.cutoff_at + after)
    assert "closed" in " ".join(excinfo.value.messages)
    assert not ProjectSubmission.objects.exists()


def test_an_edit_after_the_cutoff_leaves_the_hand_in_as_it_was(enrollment):
    submit(enrollment, now=enrollment.cohort.cutoff_at - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        submit(enrollment, now=enrollment.cohort.cutoff_at + ONE_SECOND, url="https://github.com/me/changed")
    assert ProjectSubmission.objects.get(enrollment=enrollment).url == "https://github.com/me/flowers"


@pytest.mark.parametrize("url", ["ftp://example.com/project", "javascript:alert(1)"])
def test_only_http_and_https_links(student_client, url):
    response = student_client.post(reverse("progress:project"), {"url": url, "description": "x"})
    assert form_errors(response)
    assert not ProjectSubmission.objects.exists()


def test_project_page_hands_in_and_edits(student_client, enrollment):
    response = student_client.post(
        reverse("progress:project"), {"url": "https://github.com/me/flowers", "description": "CNN", "score": "87.5"}
    )
    assert response.status_code == 302
    student_client.post(reverse("progress:project"), {"url": "https://github.com/me/flowers-v2", "description": "CNN"})
    submission = ProjectSubmission.objects.get(enrollment=enrollment)
    assert (submission.url, submission.score) == ("https://github.com/me/flowers-v2", None)
    page = student_client.get(reverse("progress:project")).content.decode()
    assert "Handed in" in page and "last changed" not in page  # both saves within the same minute


def test_after_the_cutoff_the_page_is_read_only_and_shows_the_cutoff_in_the_students_zone(client):
    closed = CohortFactory(opens_on=timezone.now().date() - dt.timedelta(days=70), cutoff_at=timezone.now() - dt.timedelta(hours=2))
    enrollment = EnrollmentFactory(cohort=closed, time_zone="Asia/Tokyo")
    ProjectSubmission.objects.create(enrollment=enrollment, url="https://github.com/me/final", score=Decimal("90"))
    client.force_login(enrollment.user)
    page = client.get(reverse("progress:project")).content.decode()
    local = closed.cutoff_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"The course closed on {local:%A %-d %B %Y, %H:%M} JST" in page
    assert 'name="url"' not in page
    refused = client.post(reverse("progress:project"), {"url": "https://github.com/me/late"})
    assert refused.status_code == 403
    assert ProjectSubmission.objects.get(enrollment=enrollment).url == "https://github.com/me/final"
