"""The one freshness rule: every write leaves its students' stored numbers equal to a recompute from their rows,
in its own transaction, with no read in between; and no page read ever writes them."""

import datetime as dt
import math
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from common.timezones import local_today
from events.services.events import event_attended
from groups.models import Membership, Mentorship, StudyGroup
from lessons.models import Lesson
from progress import tasks as progress_tasks
from progress.models import Cohort, Enrollment, LessonProgress, ProjectSubmission, RollupRebuild, ScheduleItem, StudentRollup, StudyLog, StudyPlan
from progress.selectors.numbers import rollup_numbers, standings_for_many
from progress.services.enrollments import enrollment_preferences_update
from progress.services.plans import schedule_build, schedule_item_move
from progress.services.reflection import project_submit
from progress.services.rollups import rollups_refresh
from progress.services.study_logs import community_time_add, lesson_progress_set, study_log_delete, study_log_save
from progress.course_days import cutoff_day_in
from progress.standing import STORED_FIELDS, StoredNumbers
from review.services.enrollment_import import enrollment_file_validate, enrollment_import_apply, enrollment_import_create
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory, UserFactory


def recomputed(*enrollments) -> dict[int, StoredNumbers]:
    """The students' numbers worked out from scratch from their rows, as a rebuild would."""
    rows = list(Enrollment.objects.select_related("cohort").filter(pk__in=[e.pk for e in enrollments]))
    return {pk: standing.numbers for pk, standing in standings_for_many(enrollments=rows).items()}


def stored(*enrollments) -> dict[int, StoredNumbers]:
    """The students' numbers as their rollups keep them (a missing rollup is missing here too)."""
    return {rollup.enrollment_id: rollup_numbers(rollup) for rollup in StudentRollup.objects.filter(enrollment__in=[e.pk for e in enrollments])}


def assert_in_step(*enrollments) -> dict[int, StoredNumbers]:
    now = stored(*enrollments)
    assert now == recomputed(*enrollments)
    return now


def assert_write_kept_in_step(write, *enrollments) -> None:
    """`write` changes the students' numbers (so a writer that forgot the rule fails here) and leaves them in step."""
    before = assert_in_step(*enrollments)
    write()
    after = assert_in_step(*enrollments)
    assert after != before, "the write changed no stored number: this check could not catch a forgotten refresh"


def lesson(number: int) -> Lesson:
    return Lesson.objects.get(number=number)


# --- Any sequence of a student's own writes -------------------------------------------------------------

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["save", "edit", "delete", "move", "done", "undone", "plan", "community", "project"]),
        st.integers(min_value=0, max_value=1),  # which of the two students
        st.integers(min_value=0, max_value=12),  # day offset from the opening day
        st.integers(min_value=1, max_value=10),  # lesson number
        st.integers(min_value=1, max_value=600),  # minutes
    ),
    max_size=25,
)


class RollupPropertyTests(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations=OPERATIONS)
    def test_after_every_write_the_rollups_equal_a_recompute_with_no_read_between(self, operations):
        cohort = CohortFactory()
        students = [EnrollmentFactory(cohort=cohort, time_zone=zone) for zone in ("Europe/Berlin", "Pacific/Auckland")]
        rollups_refresh(enrollment_ids=[s.pk for s in students])
        lessons = {lesson.number: lesson for lesson in Lesson.objects.all()}
        for action, who, offset, number, minutes in operations:
            enrollment, other = students[who], students[1 - who]
            day = cohort.opens_on + dt.timedelta(days=offset)
            existing = StudyLog.objects.filter(enrollment=enrollment).order_by("pk").first()
            try:
                if action == "save":
                    study_log_save(enrollment=enrollment, day=day, lesson=lessons[number], minutes=minutes, community_minutes=minutes // 3)
                elif action == "edit" and existing:
                    study_log_save(enrollment=enrollment, log=existing, day=day, lesson=lessons[number], minutes=minutes)
                elif action == "delete" and existing:
                    study_log_delete(log=existing)
                elif action == "move" and existing:  # the log becomes the other student's
                    study_log_save(enrollment=other, log=existing, day=existing.day, lesson=existing.lesson, minutes=existing.minutes)
                elif action in {"done", "undone"}:
                    lesson_progress_set(enrollment=enrollment, lesson=lessons[number], done=action == "done")
                elif action == "plan":
                    schedule_build(
                        enrollment=enrollment, starts_on=day, target_on=day + dt.timedelta(days=30),
                        weekday_hours=Decimal(number % 4 + 1), weekend_hours=Decimal(2), days_off=[], accept_after_cutoff=True,
                    )
                elif action == "community":
                    community_time_add(enrollment=enrollment, day=day, minutes=minutes)
                elif action == "project":
                    project_submit(enrollment=enrollment, url=f"https://github.com/x/{minutes}", description="", score=None)
            except ValidationError:
                pass  # a refused write (24 h rule, a clash, the project's own rule) must leave the rollups as they were
            assert stored(*students) == recomputed(*students), (action, who, offset, number, minutes)


# --- Each writer, one at a time ------------------------------------------------------------------------


@pytest.fixture
def two_students(cohort):
    first, second = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    rollups_refresh(enrollment_ids=[first.pk, second.pk])
    return first, second


def today_of(enrollment) -> dt.date:
    return local_today(time_zone=enrollment.time_zone)


@pytest.mark.django_db
def test_a_new_enrolment_has_its_numbers_at_once(cohort):
    from progress.services.enrollments import enrollment_create

    enrollment = enrollment_create(user=UserFactory(), cohort=cohort, time_zone="Asia/Tokyo")
    assert set(stored(enrollment)) == {enrollment.pk}
    assert_in_step(enrollment)


@pytest.mark.django_db
def test_logs_added_edited_moved_and_deleted_keep_both_students_in_step(two_students):
    first, second = two_students
    log_day = today_of(first) - dt.timedelta(days=1)
    assert_write_kept_in_step(lambda: study_log_save(enrollment=first, day=log_day, lesson=lesson(2), minutes=90), first, second)
    log = StudyLog.objects.get(enrollment=first)
    assert_write_kept_in_step(lambda: study_log_save(enrollment=first, log=log, day=log_day, lesson=lesson(3), minutes=150), first, second)
    log.refresh_from_db()
    assert_write_kept_in_step(lambda: study_log_save(enrollment=second, log=log, day=log_day, lesson=lesson(3), minutes=150), first, second)
    assert (stored(first)[first.pk].total_minutes, stored(second)[second.pk].total_minutes) == (0, 150)
    log.refresh_from_db()
    assert_write_kept_in_step(lambda: study_log_delete(log=log), first, second)


@pytest.mark.django_db
def test_lessons_done_and_undone_keep_the_rollup_in_step(two_students):
    first, _ = two_students
    assert_write_kept_in_step(lambda: lesson_progress_set(enrollment=first, lesson=lesson(1), done=True), first)
    assert_write_kept_in_step(lambda: lesson_progress_set(enrollment=first, lesson=lesson(1), done=False), first)


@pytest.mark.django_db
def test_a_plan_saved_and_a_lesson_moved_in_it_keep_the_rollup_in_step(two_students, cohort):
    first, _ = two_students
    study_log_save(enrollment=first, day=today_of(first), lesson=lesson(1), minutes=120)

    def plan():
        schedule_build(
            enrollment=first, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=40),
            weekday_hours=Decimal("3"), weekend_hours=Decimal("4"), days_off=[], accept_after_cutoff=True,
        )

    assert_write_kept_in_step(plan, first)
    item = ScheduleItem.objects.get(plan__enrollment=first, lesson__number=2)
    assert_write_kept_in_step(lambda: schedule_item_move(item=item, ends_on=item.ends_on + dt.timedelta(days=9)), first)


@pytest.mark.django_db
def test_an_event_attended_adds_community_time_in_step(two_students, cohort):
    from django.utils import timezone

    first, _ = two_students
    event = EventFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(hours=3), duration_minutes=90)
    assert_write_kept_in_step(lambda: event_attended(event=event, enrollment=first), first)
    assert stored(first)[first.pk].community_minutes == 90


@pytest.mark.django_db
def test_a_project_handed_in_keeps_the_rollup_in_step(two_students):
    first, _ = two_students
    assert_write_kept_in_step(lambda: project_submit(enrollment=first, url="https://github.com/a/b", description="", score=None), first)
    assert stored(first)[first.pk].project_submitted


def finishing_on_berlins_cutoff_day(cohort) -> Enrollment:
    """A student in Berlin whose pace of the last 7 days finishes on their cut-off day, Berlin's: a day too late for
    California's (the cut-off, 23:59 there, is the next morning in Berlin)."""
    student = EnrollmentFactory(cohort=cohort, time_zone="Europe/Berlin")
    lesson_progress_set(enrollment=student, lesson=lesson(1), done=True)  # minutes logged on it leave nothing less to do
    today = today_of(student)
    remaining = sum(other.estimated_minutes for other in Lesson.objects.exclude(number=1))
    per_day = math.ceil(remaining / (cutoff_day_in(time_zone="Europe/Berlin", cohort=cohort) - today).days)
    for back in range(7):
        study_log_save(enrollment=student, day=today - dt.timedelta(days=back), lesson=lesson(1), minutes=per_day)
    assert stored(student)[student.pk].late_from > today  # not late in Berlin yet
    return student


@pytest.mark.django_db
def test_a_new_time_zone_moves_the_day_a_student_turns_late_at_once(cohort):
    """The cut-off falls on another local day in another zone: the stored day they turn late moves with it."""
    student = finishing_on_berlins_cutoff_day(cohort)

    def move_to_california():
        enrollment_preferences_update(
            enrollment=student, full_name="Moved West", time_zone="America/Los_Angeles", weekday_goal_hours=Decimal("3"),
            weekend_goal_hours=Decimal("5"), wants_reminders=True, wants_digests=True,
        )

    assert_write_kept_in_step(move_to_california, student)
    assert stored(student)[student.pk].late_from == stored(student)[student.pk].last_study_day  # late at once


@pytest.mark.django_db
def test_students_enrolled_from_a_file_have_their_numbers_at_once(cohort):
    existing = UserFactory(email="grace@example.org")
    text = "email,full name,time zone\nada@example.org,Ada Lovelace,Europe/London\ngrace@example.org,Grace Hopper,America/New_York\n"
    job = enrollment_import_create(cohort=cohort, rows=enrollment_file_validate(text=text))
    enrollment_import_apply(import_id=job.pk)
    enrolled = list(Enrollment.objects.filter(cohort=cohort))
    assert existing.pk in {e.user_id for e in enrolled} and len(enrolled) == 2
    assert set(stored(*enrolled)) == {e.pk for e in enrolled}
    assert_in_step(*enrolled)


# --- The admin, through the same rule -------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """What the admin's change form would post back unchanged: its fields and its inlines' management forms."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in inline.formset.forms:
            add(form)
    return data


def admin_change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.post(url, {**admin_form_data(client.get(url)), **changes})
    assert response.status_code == 302, response.content.decode()[:3000]


def admin_add(client, model, **fields):
    response = client.post(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"), fields)
    assert response.status_code == 302, response.content.decode()[:3000]


def admin_delete(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


@pytest.mark.django_db
def test_study_logs_added_moved_and_deleted_in_the_admin_keep_both_students_in_step(admin_client, two_students):
    first, second = two_students
    day = first.cohort.opens_on.isoformat()
    assert_write_kept_in_step(
        lambda: admin_add(admin_client, StudyLog, enrollment=first.pk, day=day, lesson=lesson(2).pk, minutes=75, community_minutes=0, notes=""),
        first, second,
    )
    log = StudyLog.objects.get(enrollment=first)
    assert_write_kept_in_step(lambda: admin_change(admin_client, log, minutes=120), first, second)
    # The case: a log moved from one student to another in the admin left the first student's hours as they were.
    assert_write_kept_in_step(lambda: admin_change(admin_client, log, enrollment=second.pk), first, second)
    assert (stored(first)[first.pk].total_minutes, stored(second)[second.pk].total_minutes) == (0, 120)
    assert_write_kept_in_step(lambda: admin_delete(admin_client, StudyLog.objects.get(pk=log.pk)), first, second)


@pytest.mark.django_db
def test_lessons_marked_and_unmarked_in_the_admin_keep_the_rollup_in_step(admin_client, two_students):
    first, _ = two_students
    day = first.cohort.opens_on.isoformat()
    assert_write_kept_in_step(lambda: admin_add(admin_client, LessonProgress, enrollment=first.pk, lesson=lesson(4).pk, completed_on=day), first)
    progress = LessonProgress.objects.get(enrollment=first)
    assert_write_kept_in_step(lambda: admin_delete(admin_client, progress), first)


@pytest.mark.django_db
def test_a_plan_and_a_project_edited_in_the_admin_keep_the_rollup_in_step(admin_client, two_students, cohort):
    first, _ = two_students
    study_log_save(enrollment=first, day=today_of(first), lesson=lesson(1), minutes=120)
    schedule_build(
        enrollment=first, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=40),
        weekday_hours=Decimal("3"), weekend_hours=Decimal("4"), days_off=[], accept_after_cutoff=True,
    )
    plan = StudyPlan.objects.get(enrollment=first)
    assert_write_kept_in_step(lambda: admin_change(admin_client, plan, starts_on=(cohort.opens_on + dt.timedelta(days=10)).isoformat()), first)
    assert_write_kept_in_step(
        lambda: admin_add(admin_client, ProjectSubmission, enrollment=first.pk, url="https://github.com/a/b", description=""), first
    )


@pytest.mark.django_db
def test_an_enrolments_zone_changed_in_the_admin_keeps_its_rollup_in_step(admin_client, cohort):
    student = finishing_on_berlins_cutoff_day(cohort)
    assert_write_kept_in_step(lambda: admin_change(admin_client, student, time_zone="America/Los_Angeles"), student)
    assert Enrollment.objects.get(pk=student.pk).time_zone == "America/Los_Angeles"
    assert stored(student)[student.pk].late_from == stored(student)[student.pk].last_study_day


@pytest.mark.django_db
def test_an_estimate_edited_in_the_admin_queues_one_recompute_that_brings_every_rollup_in_step(
    admin_client, client, two_students, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = two_students
    for enrollment in two_students:
        study_log_save(enrollment=enrollment, day=today_of(enrollment), lesson=lesson(2), minutes=240)
    queued = []
    monkeypatch.setattr(progress_tasks.rollup_rebuild_run, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        admin_change(admin_client, lesson(2), estimated_hours="80.0")
    rebuild = RollupRebuild.objects.get(cohort=first.cohort)
    assert sorted(queued) == sorted(RollupRebuild.objects.values_list("pk", flat=True))  # one job per cohort, on commit
    assert rebuild.pk in queued and RollupRebuild.objects.count() == Cohort.objects.count()
    assert stored(first, second) != recomputed(first, second)  # until the job runs, the rows say more than the rollups
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("cohort:dashboard"), {"cohort": first.cohort.slug}).content.decode()
    assert "Recomputing every student&#x27;s numbers" in page or "Recomputing every student's numbers" in page
    progress_tasks.rollup_rebuild_run(rebuild.pk)
    assert_in_step(first, second)
    rebuild.refresh_from_db()
    assert (rebuild.state, rebuild.done_students, rebuild.total_students) == (RollupRebuild.State.DONE, 2, 2)
    assert 'data-testid="rebuild"' not in client.get(reverse("cohort:dashboard"), {"cohort": first.cohort.slug}).content.decode()


# --- No read writes ----------------------------------------------------------------------------------------

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.mark.django_db
def test_no_page_read_writes_a_rollup(client, cohort):
    """The cohort page, its table and export, the drill-down, /mentor/, the groups view, the shortlist, the admin's
    list and the dashboard read stored numbers (or work them out in memory) and write nothing, rollups included."""
    students = [EnrollmentFactory(cohort=cohort, user__full_name=f"Student {n}") for n in range(4)]
    for index, enrollment in enumerate(students[:3]):
        study_log_save(enrollment=enrollment, day=today_of(enrollment) - dt.timedelta(days=index * 4), lesson=lesson(2), minutes=60)
    unkept = students[3]  # enrolled while a rebuild runs: no rollup yet
    rollups_refresh(enrollment_ids=[s.pk for s in students])
    StudentRollup.objects.filter(enrollment=unkept).delete()
    group = StudyGroup.objects.create(cohort=cohort, name="Night owls", utc_offset=1, weekly_goal_hours=20)
    for enrollment in students:
        Membership.objects.create(enrollment=enrollment, group=group)
    mentor = UserFactory(email="mentor@example.org")
    Mentorship.objects.create(group=group, mentor=mentor)
    staff = UserFactory(is_staff=True, is_superuser=True)
    kept = list(StudentRollup.objects.order_by("pk").values_list("pk", "updated_at", *STORED_FIELDS))
    assert len(kept) == 3

    pages = {
        staff: [
            reverse("cohort:dashboard") + f"?cohort={cohort.slug}",
            reverse("cohort:dashboard") + f"?cohort={cohort.slug}&show=at_risk&sort=status",
            reverse("cohort:export") + f"?cohort={cohort.slug}",
            reverse("cohort:groups") + f"?cohort={cohort.slug}",
            reverse("cohort:shortlist") + f"?cohort={cohort.slug}",
            reverse("admin:progress_enrollment_changelist"),
            *[reverse("cohort:student", args=[s.pk]) for s in students],
        ],
        mentor: [reverse("mentor")],
        students[0].user: [reverse("progress:dashboard")],
        unkept.user: [reverse("progress:dashboard")],
    }
    with CaptureQueriesContext(connection) as captured:
        for user, urls in pages.items():
            client.force_login(user)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                if response.streaming:
                    b"".join(response.streaming_content)
    # Logging in writes (the session, last_login, axes' access log); reading a page writes nothing.
    logins = ("django_session", '"last_login"', "axes_access")
    writes = [q["sql"] for q in captured.captured_queries if WRITES.match(q["sql"]) and not any(login in q["sql"] for login in logins)]
    assert writes == []
    assert list(StudentRollup.objects.order_by("pk").values_list("pk", "updated_at", *STORED_FIELDS)) == kept
    assert not StudentRollup.objects.filter(enrollment=unkept).exists()


# --- Rebuilds and bulk refreshes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rebuild_rollups_repairs_rows_written_around_the_services():
    enrollment = EnrollmentFactory()
    StudentRollup.objects.filter(enrollment=enrollment).delete()
    StudyLog.objects.create(enrollment=enrollment, day=enrollment.cohort.opens_on, lesson=lesson(2), minutes=90)  # as bulk seeding does
    assert not StudentRollup.objects.filter(enrollment=enrollment).exists()
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "Rebuilt 1 rollups." in out.getvalue()
    assert_in_step(enrollment)
    assert StudentRollup.objects.get(enrollment=enrollment).total_minutes == 90


@pytest.mark.django_db
def test_bulk_refresh_gives_the_same_rollups_as_one_at_a_time():
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
        rollups_refresh(enrollment_ids=[enrollment.pk])
    fields = ["enrollment_id", "cohort_id", *STORED_FIELDS]
    one_at_a_time = list(StudentRollup.objects.filter(cohort=cohort).order_by("pk").values(*fields))
    StudentRollup.objects.filter(cohort=cohort).delete()
    rollups_refresh(enrollment_ids=[s.pk for s in students])
    assert list(StudentRollup.objects.filter(cohort=cohort).order_by("pk").values(*fields)) == one_at_a_time
    assert {row["has_plan"] for row in one_at_a_time} == {True, False}
    assert any(row["project_submitted"] for row in one_at_a_time)
    assert len({row["late_from"] for row in one_at_a_time}) > 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite reads a table in id order; PostgreSQL need not")
def test_a_refresh_writes_its_rollups_in_id_order_whatever_order_the_rows_come_back_in():
    """Two refreshes at once (two writers touching the same students, or a write and a cohort-wide rebuild) lock
    rollup rows in the order they write them: both in id order, neither can hold a row the other waits on while
    waiting on one it holds (a deadlock PostgreSQL ends with an error, which a page showed as a 503 under load)."""
    cohort = CohortFactory()
    students = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    # An UPDATE writes a new row version elsewhere in the table, so a scan of the table (as for a large chunk) no
    # longer meets the students in id order.
    Enrollment.objects.filter(pk=students[0].pk).update(time_zone="Asia/Tokyo")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
    with CaptureQueriesContext(connection) as captured:
        rollups_refresh(enrollment_ids=[s.pk for s in reversed(students)])
    insert = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "progress_studentrollup"'))
    first_column = re.search(r"ARRAY\[([\d, ]+)\]", insert)  # each column goes as an array (UNNEST), enrollment_id first
    assert [int(pk) for pk in first_column.group(1).split(",")] == sorted(s.pk for s in students)
