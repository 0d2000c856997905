"""Rollups equal a fresh aggregate after any sequence of log creates, edits and deletes."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min, Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from lessons.models import Lesson
from progress.models import Enrollment, LessonProgress, StudyLog
from progress.services.plans import schedule_build
from progress.services.reflection import project_submit
from progress.services.study_logs import lesson_progress_set, study_log_delete, study_log_save
from review.models import StudentRollup
from review.services.rollups import ROLLUP_FIELDS, rollups_refresh_many, rollups_up_to_date
from tests.factories import CohortFactory, EnrollmentFactory, StudyLogFactory

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["save", "edit", "delete", "done", "undone"]),
        st.integers(min_value=0, max_value=6),  # day offset from the opening day
        st.integers(min_value=1, max_value=10),  # lesson number
        st.integers(min_value=1, max_value=300),  # minutes
    ),
    max_size=25,
)


def fresh_aggregate(enrollment) -> dict:
    logs = StudyLog.objects.filter(enrollment=enrollment)
    totals = logs.aggregate(
        total=Sum("minutes"), community=Sum("community_minutes"), days=Count("day", distinct=True),
        first=Min("day"), last=Max("day"),
    )
    done = LessonProgress.objects.filter(enrollment=enrollment)
    return {
        "total_minutes": totals["total"] or 0,
        "community_minutes": totals["community"] or 0,
        "days_studied": totals["days"],
        "first_study_day": totals["first"],
        "last_study_day": totals["last"],
        "lessons_done": done.count(),
        "lesson_reached": done.aggregate(m=Max("lesson__number"))["m"] or 0,
    }


def rollup_values(enrollment, *, only_if_current: bool = False) -> dict | None:
    """The rollup's numbers; with only_if_current, None when a write has moved the student's version past it."""
    rollup = StudentRollup.objects.select_related("enrollment").get(enrollment=enrollment)
    if only_if_current and rollup.computed_version != rollup.enrollment.dashboard_version:
        return None
    return {key: getattr(rollup, key) for key in fresh_aggregate(enrollment)}


class RollupPropertyTests(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations=OPERATIONS)
    def test_rollup_equals_a_fresh_aggregate_after_any_sequence(self, operations):
        enrollment = EnrollmentFactory()
        rollups_refresh_many(enrollment_ids=[enrollment.pk])
        lessons = {lesson.number: lesson for lesson in Lesson.objects.all()}
        opens = enrollment.cohort.opens_on
        for action, offset, number, minutes in operations:
            day = opens + dt.timedelta(days=offset)
            existing = StudyLog.objects.filter(enrollment=enrollment).order_by("pk").first()
            try:
                if action == "save":
                    study_log_save(enrollment=enrollment, day=day, lesson=lessons[number], minutes=minutes, community_minutes=minutes // 3)
                elif action == "edit" and existing:
                    study_log_save(enrollment=enrollment, log=existing, day=day, lesson=lessons[number], minutes=minutes)
                elif action == "delete" and existing:
                    study_log_delete(log=existing)
                elif action in {"done", "undone"}:
                    lesson_progress_set(enrollment=enrollment, lesson=lessons[number], done=action == "done")
            except ValidationError:
                pass  # a refused write (24 h rule, a clash) must leave the rollup as it was
            # A rollup that looks current is right; one that is not, staff pages recompute first.
            assert rollup_values(enrollment, only_if_current=True) in (None, fresh_aggregate(enrollment))
            rollups_up_to_date(cohort_id=enrollment.cohort_id)
            assert rollup_values(enrollment, only_if_current=True) == fresh_aggregate(enrollment)


@pytest.mark.django_db
def test_rebuild_rollups_repairs_rows_written_around_the_services():
    enrollment = EnrollmentFactory()
    StudyLogFactory(enrollment=enrollment, minutes=90)  # straight into the table, as bulk seeding does
    assert not StudentRollup.objects.filter(enrollment=enrollment).exists()
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "Rebuilt 1 rollups." in out.getvalue()
    assert rollup_values(enrollment) == fresh_aggregate(enrollment)
    assert StudentRollup.objects.get(enrollment=enrollment).total_minutes == 90


@pytest.mark.django_db
def test_bulk_refresh_gives_the_same_rollups_as_one_at_a_time():
    from decimal import Decimal

    from common.timezones import local_today
    from tests.factories import CohortFactory

    cohort = CohortFactory()
    lessons = {lesson.number: lesson for lesson in Lesson.objects.all()}
    students = []
    for index, zone in enumerate(["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin"]):
        enrollment = EnrollmentFactory(cohort=cohort, time_zone=zone)
        today = local_today(time_zone=zone)
        for offset in range(index * 3):
            study_log_save(enrollment=enrollment, day=today - dt.timedelta(days=offset), lesson=lessons[2 + offset % 3], minutes=90, community_minutes=10)
        if index % 2:
            schedule_build(
                enrollment=enrollment, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=40),
                weekday_hours=Decimal("3"), weekend_hours=Decimal("4"), days_off=[], accept_after_cutoff=True,
            )
        if index == 3:
            lesson_progress_set(enrollment=enrollment, lesson=lessons[1], done=True)
            project_submit(enrollment=enrollment, url="https://github.com/x/y", description="", score=None)
        students.append(enrollment)
    for enrollment in students:
        rollups_refresh_many(enrollment_ids=[enrollment.pk])
    fields = ["enrollment_id"] + [name for name in ROLLUP_FIELDS if name != "cohort"]
    one_at_a_time = list(StudentRollup.objects.filter(cohort=cohort).order_by("pk").values(*fields))
    StudentRollup.objects.filter(cohort=cohort).delete()
    rollups_refresh_many(enrollment_ids=[s.pk for s in students])
    assert list(StudentRollup.objects.filter(cohort=cohort).order_by("pk").values(*fields)) == one_at_a_time
    assert {row["has_plan"] for row in one_at_a_time} == {True, False}
    assert any(row["project_submitted"] for row in one_at_a_time)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite reads a table in id order; PostgreSQL need not")
def test_a_refresh_writes_its_rollups_in_id_order_whatever_order_the_rows_come_back_in():
    """Two refreshes at once (two staff pages, a page and the catch-up beat) lock rollup rows in the order they
    write them: both in id order, neither can hold a row the other waits on while waiting on one it holds (a
    deadlock PostgreSQL ends with an error, which a staff page showed as a 503 under load)."""
    cohort = CohortFactory()
    students = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    # An UPDATE (a version moved on) writes a new row version elsewhere in the table, so a scan of the table (as
    # for a large chunk) no longer meets the students in id order.
    Enrollment.objects.filter(pk=students[0].pk).update(time_zone="Asia/Tokyo")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
    with CaptureQueriesContext(connection) as captured:
        rollups_refresh_many(enrollment_ids=[s.pk for s in reversed(students)])
    insert = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "progress_studentrollup"'))
    first_column = re.search(r"ARRAY\[([\d, ]+)\]", insert)  # each column goes as an array (UNNEST), enrollment_id first
    assert [int(pk) for pk in first_column.group(1).split(",")] == sorted(s.pk for s in students)
