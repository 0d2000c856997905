"""Staff read the cohort's students through the API as the /cohort/ table shows them: the same filters, search,
sort and verdicts, and the same refusals of a bad parameter."""

import pytest
from django.urls import reverse

from progress.services.rollups import rollups_refresh
from tests.factories import EnrollmentFactory, StudyLogFactory, UserFactory

from .conftest import TokenClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return TokenClient(token_for(UserFactory(is_staff=True), scope="read"))


def test_the_table_filters_searches_and_sorts_as_the_cohort_page(staff, cohort):
    idle = EnrollmentFactory(cohort=cohort, user__full_name="Ada Idle")
    busy = EnrollmentFactory(cohort=cohort, user__full_name="Bea Busy")
    StudyLogFactory(enrollment=busy, day=cohort.opens_on, minutes=300)
    rollups_refresh(enrollment_ids=[idle.pk, busy.pk])
    url = reverse("api:cohort_students")
    everyone = staff.get(url, {"cohort": cohort.slug, "sort": "-total"}).json()
    assert [row["name"] for row in everyone["results"]] == ["Bea Busy", "Ada Idle"]
    assert everyone["results"][0]["total_minutes"] == 300
    not_started = staff.get(url, {"cohort": cohort.slug, "show": "not_started"}).json()
    assert [row["enrollment_id"] for row in not_started["results"]] == [idle.pk]
    assert [row["name"] for row in staff.get(url, {"cohort": cohort.slug, "q": "bea"}).json()["results"]] == ["Bea Busy"]
    page = staff.get(reverse("cohort:dashboard"), {"cohort": cohort.slug})  # a token is not a session: the page is not reachable
    assert page.status_code == 302


def test_each_verdict_is_the_tables(staff, cohort):
    from review.columns import with_status
    from review.selectors.cohorts import TableQuery, cohort_students

    for _ in range(3):
        EnrollmentFactory(cohort=cohort)
    rows = staff.get(reverse("api:cohort_students"), {"cohort": cohort.slug}).json()["results"]
    table = {rollup.enrollment_id: rollup.status for rollup in with_status(cohort_students(cohort=cohort, query=TableQuery()), cohort)}
    assert {row["enrollment_id"]: row["verdict"] for row in rows} == {pk: status.verdict.value for pk, status in table.items()}


@pytest.mark.parametrize("params, field", [
    ({"sort": "forecast"}, "sort"), ({"show": "everyone"}, "show"), ({"lesson": "99"}, "lesson"), ({"group": "x"}, "group"),
    ({"tz": "x" * 65}, "tz"), ({"q": "a" * 101}, "q"),
])
def test_a_bad_parameter_is_a_400_naming_it(staff, cohort, params, field):
    response = staff.get(reverse("api:cohort_students"), params)
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


def test_an_unknown_cohort_is_404(staff, cohort):
    assert staff.get(reverse("api:cohort_students"), {"cohort": "no-such-cohort"}).status_code == 404
