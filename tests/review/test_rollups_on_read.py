"""A study log only marks the student's rollup stale; whatever staff read recomputes stale rows first,
so the cohort pages, the CSV export and the staff digest show every committed write at once."""

import csv
import io

import pytest
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.selectors.standing import standings_for_many
from progress.services.study_logs import study_log_save
from review import tasks as review_tasks
from review.models import StudentRollup
from review.services import rollups
from review.services.rollups import rollups_refresh_many, rollups_up_to_date
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def _log(enrollment, minutes: int, lesson_number: int = 2):
    study_log_save(
        enrollment=enrollment, day=local_today(time_zone=enrollment.time_zone), lesson=Lesson.objects.get(number=lesson_number), minutes=minutes
    )


def _current(enrollment) -> bool:
    rollup = StudentRollup.objects.select_related("enrollment").get(enrollment=enrollment)
    return rollup.computed_version == rollup.enrollment.dashboard_version


def test_a_study_log_marks_the_rollup_stale_without_recomputing_it(cohort):
    student = EnrollmentFactory(cohort=cohort)
    rollups_refresh_many(enrollment_ids=[student.pk])
    assert _current(student)
    _log(student, 90)
    assert not _current(student)
    assert StudentRollup.objects.get(enrollment=student).total_minutes == 0  # not recomputed in the student's request
    assert rollups_up_to_date(cohort_id=cohort.pk) == 1
    assert _current(student) and StudentRollup.objects.get(enrollment=student).total_minutes == 90
    assert rollups_up_to_date(cohort_id=cohort.pk) == 0  # nothing left to do: one query


def test_staff_pages_and_the_export_show_a_log_posted_a_moment_ago(staff_client, cohort):
    student = EnrollmentFactory(cohort=cohort, user__full_name="Quick Quinn")
    rollups_refresh_many(enrollment_ids=[student.pk])
    _log(student, 150)

    table = staff_client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug}).content.decode()
    assert "Quick Quinn" in table and "2 h 30 min" in table

    _log(student, 60, lesson_number=3)
    export = staff_client.get(reverse("cohort:export"), {"cohort": cohort.slug})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == "Quick Quinn" and rows[1][3] == "3.5"


def test_a_write_landing_while_a_rollup_is_computed_leaves_it_stale_never_wrong(cohort, monkeypatch):
    student = EnrollmentFactory(cohort=cohort)
    rollups_refresh_many(enrollment_ids=[student.pk])
    _log(student, 30)
    compute = standings_for_many

    def a_log_lands_meanwhile(**kwargs):
        standings = compute(**kwargs)  # read before the new log...
        monkeypatch.setattr(rollups, "standings_for_many", compute)
        _log(student, 45, lesson_number=5)  # ...which commits before the rollup is saved
        return standings

    monkeypatch.setattr(rollups, "standings_for_many", a_log_lands_meanwhile)
    rollups.rollups_up_to_date(cohort_id=cohort.pk)
    assert StudentRollup.objects.get(enrollment=student).total_minutes == 30
    assert not _current(student)  # so the next reader recomputes it
    assert rollups_up_to_date(cohort_id=cohort.pk) == 1
    assert StudentRollup.objects.get(enrollment=student).total_minutes == 75


def test_the_catch_up_job_recomputes_every_cohorts_stale_rollups(monkeypatch):

    students = [EnrollmentFactory() for _ in range(3)]  # each in a cohort of their own
    for student in students:
        rollups_refresh_many(enrollment_ids=[student.pk])
    for student in students[:2]:
        _log(student, 40)
    sent = []
    monkeypatch.setattr(review_tasks.rollups_refresh_chunk, "delay", lambda ids: sent.append(ids) or review_tasks.rollups_refresh_chunk(ids))

    assert review_tasks.rollups_catch_up() == 1
    assert sent == [sorted(s.pk for s in students[:2])]
    assert all(_current(s) for s in students)
    assert [StudentRollup.objects.get(enrollment=s).total_minutes for s in students] == [40, 40, 0]
    assert review_tasks.rollups_catch_up() == 0  # a second beat finds nothing to do


def test_the_drill_down_shows_the_risk_as_of_the_last_log(staff_client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    rollups_refresh_many(enrollment_ids=[student.pk])
    url = reverse("cohort:student", args=[student.pk])
    assert "no study log" in staff_client.get(url).content.decode()  # the opening days are behind everyone
    _log(student, 8 * 60, lesson_number=3)
    assert not _current(student)
    page = staff_client.get(url).content.decode()
    assert "no study log" not in page
    assert _current(student)
