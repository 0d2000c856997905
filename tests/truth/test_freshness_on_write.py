"""Each way a number went stale on f47d8a4, and what a person now sees at once.

On f47d8a4 pages were served from fragments kept fresh by version bumps, and rollups stored numbers "as of" a
day: an admin edit of a lesson or a cohort, a log moved between students, or three days passing left the cohort
page, the dashboard or the drill-down wrong. Here each of those edits is made the way staff or time make it,
and the page is read straight after.
"""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Lesson
from progress.models import Cohort, RollupRebuild, StudyLog
from progress.selectors.numbers import standings_for_many
from progress.services import rollups
from progress.services.study_logs import study_log_save
from progress.tasks import rollup_rebuild_run
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory
from tests.helpers import admin_save, text_of

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC)  # a Tuesday, week 4 of a cohort opening 9 Nov


@pytest.fixture
def clock():
    moment = {"now": NOW}
    with mock.patch("django.utils.timezone.now", lambda: moment["now"]):
        yield moment


@pytest.fixture
def worker(monkeypatch):
    """The Celery worker, inline: a queued cohort-wide recompute runs when its transaction commits."""
    monkeypatch.setattr(rollup_rebuild_run, "delay", lambda pk: rollups.rollup_rebuild_apply(rebuild_id=pk))


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _cohort(**kwargs) -> Cohort:
    return CohortFactory(
        opens_on=dt.date(2026, 11, 9), cutoff_at=Cohort.cutoff_from_local(day=dt.date(2027, 1, 9), time_zone="America/Los_Angeles"),
        **kwargs,
    )


def _steady(cohort, *, days=7, minutes=400, lesson=1, zone="America/Los_Angeles"):
    """A student who studied `minutes` a day on every one of the last `days` days, up to yesterday."""
    enrollment = EnrollmentFactory(cohort=cohort, time_zone=zone)
    yesterday = dt.date(2026, 11, 30)
    for back in range(days):
        study_log_save(enrollment=enrollment, day=yesterday - dt.timedelta(days=back), lesson=Lesson.objects.get(number=lesson),
                       minutes=minutes, now=NOW)
    return enrollment


def _at_risk_on_cohort_page(client, cohort) -> set[int]:
    html = client.get(f"/cohort/?cohort={cohort.slug}&show=at_risk").content.decode()
    return {int(pk) for pk in re.findall(r'<a href="/cohort/students/(\d+)/"', html)}


def _truth(cohort) -> dict[int, str]:
    enrollments = list(cohort.enrollments.select_related("cohort", "user"))
    return {pk: s.status.verdict.value for pk, s in standings_for_many(enrollments=enrollments).items()}


def test_a_lesson_estimate_edited_in_the_admin_moves_the_cohort_page_and_the_dashboard(client, staff, clock, worker):
    cohort = _cohort()
    student = _steady(cohort)  # 400 min a day: done by 26 Dec
    assert _at_risk_on_cohort_page(client, cohort) == set()
    admin_save(Lesson, Lesson.objects.get(number=2), {"estimated_hours": "400"}, user=staff)  # 12 h → 400 h
    rebuild = RollupRebuild.objects.get(cohort=cohort)
    assert (rebuild.state, rebuild.done_students, rebuild.total_students) == ("done", 1, 1)
    assert _at_risk_on_cohort_page(client, cohort) == {student.pk}
    client.force_login(student.user)
    page = client.get(reverse("progress:dashboard"))
    assert text_of(page, "verdict-label") == "At risk"
    assert "after the cut-off" in page.content.decode()


def test_a_queued_recompute_shows_its_progress_on_the_cohort_page(client, staff, clock):
    cohort = _cohort()
    _steady(cohort, days=2)
    admin_save(Lesson, Lesson.objects.get(number=2), {"estimated_hours": "30"}, user=staff)  # no worker yet
    page = client.get(f"/cohort/?cohort={cohort.slug}")
    assert "Recomputing every student's numbers" in text_of_block(page, "rebuild")
    assert "0 of 1 done" in text_of_block(page, "rebuild")


def text_of_block(response, name: str) -> str:
    match = re.search(rf'data-testid="{name}">(.*?)</div>', response.content.decode(), flags=re.S)
    assert match, f"no {name}"
    return re.sub(r"\s+", " ", match.group(1))


def test_lowering_the_idle_threshold_in_the_admin_shows_on_the_cohort_page_at_once(client, staff, clock):
    cohort = _cohort(at_risk_idle_days=5)
    idle_two_days = _steady(cohort)
    clock["now"] = NOW + dt.timedelta(days=1)  # two days without a log (the last was 30 Nov)
    assert idle_two_days.pk not in _at_risk_on_cohort_page(client, cohort)
    admin_save(Cohort, cohort, {"at_risk_idle_days": 1}, user=staff)
    assert idle_two_days.pk in _at_risk_on_cohort_page(client, cohort)
    assert RollupRebuild.objects.count() == 0  # thresholds are read with the page: nothing to recompute


def test_extending_the_cutoff_agrees_on_the_cohort_page_the_drill_down_and_the_dashboard(client, staff, clock, worker):
    cohort = _cohort()
    slow = _steady(cohort, minutes=30)  # 30 min a day: far too slow for 9 Jan
    assert _at_risk_on_cohort_page(client, cohort) == {slow.pk}
    cohort.refresh_from_db()
    admin_save(Cohort, cohort, {"cutoff_date": "2028-06-30", "cutoff_time": "23:59"}, user=staff)
    assert _at_risk_on_cohort_page(client, cohort) == set()
    drill_down = client.get(reverse("cohort:student", args=[slow.pk]))
    assert 'data-verdict="on-track"' in drill_down.content.decode()
    assert "after the cut-off" not in drill_down.content.decode()


def test_a_log_moved_between_students_in_the_admin_moves_both_students_numbers(client, staff, clock):
    cohort = _cohort()
    giver, taker = _steady(cohort, days=2, minutes=100), EnrollmentFactory(cohort=cohort, time_zone="Europe/Berlin")
    log = StudyLog.objects.filter(enrollment=giver).order_by("day").first()
    admin_save(StudyLog, log, {"enrollment": taker.pk}, user=staff)
    client.force_login(giver.user)
    assert text_of(client.get(reverse("progress:dashboard")), "total-hours") == "1 h 40 min"
    client.force_login(staff)
    html = client.get(f"/cohort/?cohort={cohort.slug}&sort=total").content.decode()
    assert re.search(rf'/cohort/students/{taker.pk}/.*?1 h 40 min', html, flags=re.S)
    assert _truth(cohort) == dict((int(pk), v) for v, pk in re.findall(r'<tr data-verdict="([a-z-]+)"><td[^>]*><a href="/cohort/students/(\d+)/"', html))


def test_three_days_on_with_no_write_the_cohort_page_reads_the_new_day(client, staff, clock):
    cohort = _cohort(at_risk_idle_days=3)
    student = _steady(cohort, days=7)
    assert _at_risk_on_cohort_page(client, cohort) == set()
    clock["now"] = NOW + dt.timedelta(days=3)  # no beat, no job, no write: only the days pass
    assert _at_risk_on_cohort_page(client, cohort) == {student.pk}
    assert _truth(cohort) == {student.pk: "at-risk"}


def test_no_staff_or_student_get_writes_to_the_database(client, staff, clock):
    cohort = _cohort()
    student = _steady(cohort, days=2)
    pages = [f"/cohort/?cohort={cohort.slug}", f"/cohort/?cohort={cohort.slug}&show=at_risk", f"/cohort/students/{student.pk}/",
             f"/cohort/groups/?cohort={cohort.slug}", "/mentor/", f"/cohort/export.csv?cohort={cohort.slug}", "/admin/progress/enrollment/"]
    for path in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, path
        writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], flags=re.I)]
        assert writes == [], path
    client.force_login(student.user)
    for path in ["/dashboard/", "/schedule/", "/lessons/", "/logs/new/", "/events/"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], flags=re.I)] == [], path


def test_a_student_behind_and_late_never_sees_green_on_the_dashboard_or_the_schedule(client, clock):
    from decimal import Decimal

    from progress.services.plans import schedule_build

    cohort = _cohort()
    student = _steady(cohort, days=3, minutes=30)
    schedule_build(enrollment=student, starts_on=cohort.opens_on, target_on=dt.date(2026, 12, 20), weekday_hours=Decimal("4"),
                   weekend_hours=Decimal("5"), days_off=[], accept_after_cutoff=True)
    client.force_login(student.user)
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-verdict="at-risk"' in dashboard
    assert "text-success" not in dashboard.split('data-testid="safe-days"')[0].rsplit("<div", 1)[-1]
    assert text_of(client.get(reverse("progress:dashboard")), "safe-days") == "–"
    schedule = client.get(reverse("progress:schedule")).content.decode()
    assert 'data-verdict="at-risk"' in schedule
    assert "alert-success" not in schedule


def test_the_cohort_headline_buckets_add_up_to_everyone_enrolled(client, staff, clock):
    cohort = _cohort()
    for minutes in (20, 400, 600):
        _steady(cohort, minutes=minutes)
    EnrollmentFactory(cohort=cohort)  # never logged, past the grace week
    page = client.get(f"/cohort/?cohort={cohort.slug}")
    buckets = [int(text_of(page, key)) for key in ("at_risk", "behind", "on_track", "finished")]
    assert sum(buckets) == int(text_of(page, "enrolled")) == 4
