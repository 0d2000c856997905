"""The API's lists cost the same number of queries however many rows there are."""

import datetime as dt

import pytest
from django.urls import reverse

from lessons.models import Lesson
from progress.models import StudyLog
from progress.services.rollups import rollups_refresh
from tests.factories import EnrollmentFactory, UserFactory

from .conftest import TokenClient, token_for

pytestmark = pytest.mark.django_db


def logs_for(enrollment, count: int) -> None:
    lessons = list(Lesson.objects.order_by("number"))
    opens = enrollment.cohort.opens_on
    StudyLog.objects.bulk_create(
        StudyLog(enrollment=enrollment, day=opens + dt.timedelta(days=index // len(lessons)), lesson=lessons[index % len(lessons)], minutes=10)
        for index in range(count)
    )
    rollups_refresh(enrollment_ids=[enrollment.pk])


@pytest.mark.parametrize("count", [3, 120])
def test_the_log_list_costs_four_queries_at_any_size(enrollment, count, django_assert_num_queries):
    logs_for(enrollment, count)
    client = TokenClient(token_for(enrollment.user))
    client.get(reverse("api:me"))  # stamps the token's last use, which the next minute's requests leave alone
    # The token with its owner, the enrollment, the count, the page.
    with django_assert_num_queries(4):
        response = client.get(reverse("api:logs"))
    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, 50)


@pytest.mark.parametrize("students", [2, 40])
def test_the_cohort_students_cost_six_queries_at_any_size(cohort, students, django_assert_num_queries):
    for _ in range(students):
        EnrollmentFactory(cohort=cohort)
    client = TokenClient(token_for(UserFactory(is_staff=True)))
    client.get(reverse("api:me"))
    # The token with its owner, the cohort, its time zones, the count, the page's ids, the page's rows.
    with django_assert_num_queries(6):
        response = client.get(reverse("api:cohort_students"), {"cohort": cohort.slug, "sort": "-total"})
    assert response.json()["count"] == students
