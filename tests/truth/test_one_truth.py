"""Every number and verdict shown equals a recompute from scratch, whoever wrote and whatever the clock says.

A hypothesis state machine drives random sequences of writes through the services and the admin (logs added,
edited, moved between students and deleted, lessons done and undone, plans made, events attended, zones
changed, lesson estimates and titles edited, cohort thresholds and cut-off edited) while the clock moves across
midnights for students in three zones. After every step it reads what people are shown (the student's
dashboard, the cohort table and headline, the drill-down, /mentor/, the staff and student digests' data) and
compares each with `standings_for_many`, computed from the rows at that moment. A writer that forgot the one
freshness rule, or a page that stored a day-dependent number, makes it fail.
"""

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from common.timezones import hours_display, local_today
from events.services.events import event_attended
from groups.models import Membership, Mentorship, StudyGroup
from lessons.models import Lesson
from notifications.models import Notification
from notifications.selectors import contexts_for_chunk, staff_digest_context
from progress.models import Cohort, Enrollment, RollupRebuild, StudentRollup, StudyLog
from progress.selectors.numbers import rollup_numbers, standings_for_many
from progress.services import plans, rollups, study_logs
from progress.services.enrollments import enrollment_preferences_update
from progress.standing import Verdict
from progress.tasks import rollup_rebuild_run
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory, UserFactory
from tests.helpers import admin_save

ZONES = ["Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin"]
STUDENTS = 3
START = dt.datetime(2026, 11, 20, 21, 30, tzinfo=dt.UTC)  # 11 days into a cohort opening 9 Nov


def _verdict_on(html: str, marker: str) -> str:
    match = re.search(rf'{marker}[^>]*data-verdict="([a-z-]+)"', html) or re.search(rf'data-verdict="([a-z-]+)"[^>]*{marker}', html)
    assert match, f"no verdict near {marker!r}"
    return match.group(1)


def _text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert match, f"no data-testid={testid!r}"
    return match.group(1).strip()


class OneTruth(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.now = START
        self.clock = mock.patch("django.utils.timezone.now", lambda: self.now)
        self.clock.start()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.rebuilds = mock.patch.object(rollup_rebuild_run, "delay", side_effect=lambda pk: rollups.rollup_rebuild_apply(rebuild_id=pk))
        self.rebuilds.start()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)
        self.rebuilds.stop()
        self.clock.stop()

    @initialize()
    def cohort_with_students(self):
        self.cohort = CohortFactory(
            opens_on=dt.date(2026, 11, 9),
            cutoff_at=Cohort.cutoff_from_local(day=dt.date(2027, 1, 9), time_zone="America/Los_Angeles"),
            at_risk_idle_days=3,
        )
        self.students = [EnrollmentFactory(cohort=self.cohort, time_zone=ZONES[i % len(ZONES)]) for i in range(STUDENTS)]
        group = StudyGroup.objects.create(cohort=self.cohort, name="Truth seekers", utc_offset=0, weekly_goal_hours=10)
        for enrollment in self.students:
            Membership.objects.create(enrollment=enrollment, group=group)
        self.mentor = UserFactory()
        Mentorship.objects.create(group=group, mentor=self.mentor)
        self.staff = UserFactory(is_staff=True, is_superuser=True)
        self.event = EventFactory(cohort=self.cohort, starts_at=START - dt.timedelta(days=2), duration_minutes=90)
        self.lessons = list(Lesson.objects.order_by("number"))

    # --- writes through the services -----------------------------------------------------------------

    def _student(self, index: int) -> Enrollment:
        return Enrollment.objects.select_related("cohort", "user").get(pk=self.students[index % STUDENTS].pk)

    def _today(self, enrollment: Enrollment) -> dt.date:
        return local_today(time_zone=enrollment.time_zone, now=self.now)

    @rule(student=st.integers(0, STUDENTS - 1), back=st.integers(0, 9), lesson=st.integers(1, 10), minutes=st.integers(10, 600))
    def log_added(self, student, back, lesson, minutes):
        enrollment = self._student(student)
        try:
            study_logs.study_log_save(
                enrollment=enrollment, day=self._today(enrollment) - dt.timedelta(days=back), lesson=self.lessons[lesson - 1],
                minutes=minutes,
            )
        except ValidationError:
            pass

    @rule(pick=st.integers(0, 1000), minutes=st.integers(5, 400))
    def log_edited(self, pick, minutes):
        logs = list(StudyLog.objects.filter(enrollment__cohort=self.cohort).order_by("pk"))
        if not logs:
            return
        log = logs[pick % len(logs)]
        enrollment = Enrollment.objects.select_related("cohort", "user").get(pk=log.enrollment_id)
        try:
            study_logs.study_log_save(enrollment=enrollment, day=log.day, lesson=log.lesson, minutes=minutes, log=log)
        except ValidationError:
            pass

    @rule(pick=st.integers(0, 1000))
    def log_deleted(self, pick):
        logs = list(StudyLog.objects.filter(enrollment__cohort=self.cohort).order_by("pk"))
        if logs:
            study_logs.study_log_delete(log=logs[pick % len(logs)])

    @rule(pick=st.integers(0, 1000), to=st.integers(0, STUDENTS - 1))
    def log_moved_in_the_admin(self, pick, to):
        logs = list(StudyLog.objects.filter(enrollment__cohort=self.cohort).order_by("pk"))
        if not logs:
            return
        log = logs[pick % len(logs)]
        target = self.students[to]
        if StudyLog.objects.filter(enrollment=target, day=log.day, lesson=log.lesson).exists():
            return
        self._admin_save(StudyLog, log, {"enrollment": target.pk})

    @rule(student=st.integers(0, STUDENTS - 1), lesson=st.integers(1, 9), done=st.booleans())
    def lesson_marked(self, student, lesson, done):
        study_logs.lesson_progress_set(enrollment=self._student(student), lesson=self.lessons[lesson - 1], done=done)

    @rule(student=st.integers(0, STUDENTS - 1), hours=st.sampled_from(["1.5", "3", "4.5"]), target_in=st.integers(10, 60))
    def plan_made(self, student, hours, target_in):
        enrollment = self._student(student)
        today = self._today(enrollment)
        try:
            plans.schedule_build(
                enrollment=enrollment, starts_on=today, target_on=today + dt.timedelta(days=target_in),
                weekday_hours=Decimal(hours), weekend_hours=Decimal(hours) + 1, days_off=[], accept_after_cutoff=True,
            )
        except ValidationError:
            pass

    @rule(student=st.integers(0, STUDENTS - 1))
    def event_attended(self, student):
        try:
            event_attended(event=self.event, enrollment=self._student(student))
        except ValidationError:
            pass

    @rule(student=st.integers(0, STUDENTS - 1), zone=st.sampled_from([*ZONES, "Asia/Kolkata", "Pacific/Honolulu"]))
    def zone_changed(self, student, zone):
        enrollment = self._student(student)
        enrollment_preferences_update(
            enrollment=enrollment, full_name=enrollment.user.full_name, time_zone=zone,
            weekday_goal_hours=enrollment.weekday_goal_hours, weekend_goal_hours=enrollment.weekend_goal_hours,
            wants_reminders=True, wants_digests=True,
        )

    # --- staff edits in the admin ------------------------------------------------------------------------

    def _admin_save(self, model, obj, changes: dict) -> None:
        admin_save(model, obj, changes, user=self.staff)

    @rule(lesson=st.integers(1, 10), hours=st.sampled_from(["2", "12", "25", "80"]))
    def lesson_estimate_edited(self, lesson, hours):
        self._admin_save(Lesson, self.lessons[lesson - 1], {"estimated_hours": hours})

    @rule(lesson=st.integers(1, 10), title=st.sampled_from(["Tensors, renamed", "Convolutions", "Style transfer"]))
    def lesson_renamed(self, lesson, title):
        self._admin_save(Lesson, self.lessons[lesson - 1], {"title": title})

    @rule(idle=st.integers(1, 8), silent=st.integers(1, 3), shift=st.integers(-20, 28))
    def cohort_edited(self, idle, silent, shift):
        cohort = Cohort.objects.get(pk=self.cohort.pk)
        cutoff = cohort.cutoff_local.date() + dt.timedelta(days=shift)
        self._admin_save(Cohort, cohort, {
            "at_risk_idle_days": idle, "at_risk_silent_weeks": silent, "cutoff_date": cutoff.isoformat(), "cutoff_time": "23:59",
        })
        self.cohort.refresh_from_db()

    @rule(hours=st.integers(1, 40))
    def clock_moved(self, hours):
        self.now += dt.timedelta(hours=hours)

    # --- what people see equals a recompute --------------------------------------------------------------

    def _recompute(self) -> dict:
        enrollments = list(Enrollment.objects.filter(cohort=self.cohort).select_related("cohort", "user").order_by("pk"))
        return standings_for_many(enrollments=enrollments, now=self.now)

    @invariant()
    def every_number_shown_is_a_recompute(self):
        if not hasattr(self, "cohort"):
            return
        assert not RollupRebuild.objects.exclude(state=RollupRebuild.State.DONE).exists()
        truth = self._recompute()
        # The stored numbers are the rows' numbers.
        for rollup in StudentRollup.objects.filter(cohort=self.cohort):
            assert rollup_numbers(rollup) == truth[rollup.enrollment_id].numbers
            assert rollup.time_zone == truth[rollup.enrollment_id].enrollment.time_zone  # whose today the cohort page uses

        verdicts = {pk: standing.status.verdict.value for pk, standing in truth.items()}
        # The student's dashboard.
        client = Client()
        for pk, standing in truth.items():
            client.force_login(standing.enrollment.user)
            html = client.get("/dashboard/").content.decode()
            assert _verdict_on(html, 'data-testid="verdict"') == verdicts[pk]
            assert _text(html, "total-hours") == hours_display(standing.numbers.total_minutes)
            assert _text(html, "lessons-done") == f"{standing.numbers.lessons_done}/{len(standing.lessons)}"
            status = standing.status
            shown_forecast = _text(html, "forecast")
            if status.is_finished:
                assert shown_forecast == "Finished"
            elif status.forecast:
                assert shown_forecast == f"{status.forecast.day} {status.forecast:%b}"
            else:
                assert shown_forecast == "–"
            for lesson in standing.lessons:
                assert lesson.title in html

        staff = Client()
        staff.force_login(self.staff)
        # The cohort table and its headline.
        html = staff.get(f"/cohort/?cohort={self.cohort.slug}").content.decode()
        shown = dict((int(pk), verdict) for verdict, pk in re.findall(r'<tr data-verdict="([a-z-]+)"><td[^>]*><a href="/cohort/students/(\d+)/"', html))
        assert shown == verdicts
        counts = {code: sum(1 for v in verdicts.values() if v == code) for code in [v.value for v in Verdict]}
        for key, verdict in {"at_risk": Verdict.AT_RISK, "behind": Verdict.BEHIND, "on_track": Verdict.ON_TRACK, "finished": Verdict.FINISHED}.items():
            assert int(_text(html, key)) == counts[verdict.value]
        assert int(_text(html, "enrolled")) == len(truth)
        # The at-risk filter lists exactly the students at risk.
        html = staff.get(f"/cohort/?cohort={self.cohort.slug}&show=at_risk").content.decode()
        listed = {int(pk) for pk in re.findall(r'<a href="/cohort/students/(\d+)/"', html)}
        assert listed == {pk for pk, v in verdicts.items() if v == Verdict.AT_RISK}
        # The drill-down.
        for pk in truth:
            html = staff.get(f"/cohort/students/{pk}/").content.decode()
            assert _verdict_on(html, 'data-testid="verdict"') == verdicts[pk]
        # The mentor's list.
        mentor = Client()
        mentor.force_login(self.mentor)
        html = mentor.get("/mentor/").content.decode()
        assert {int(pk) for pk in re.findall(r'data-testid="at-risk-(\d+)"', html)} == {pk for pk, v in verdicts.items() if v == Verdict.AT_RISK}
        # The digests' data.
        staff_digest = staff_digest_context(cohort=self.cohort, now=self.now)
        assert staff_digest["at_risk_count"] == counts[Verdict.AT_RISK.value]
        contexts = contexts_for_chunk(kind=Notification.Kind.STUDENT_DIGEST, cohort=self.cohort, number=3, ids=list(truth), now=self.now)
        assert {c["enrollment"].pk: c["status"].verdict.value for c in contexts} == verdicts


@pytest.mark.django_db
def test_every_number_shown_equals_a_recompute_after_any_writes_and_clock_moves():
    run_state_machine_as_test(
        OneTruth,
        settings=settings(
            max_examples=12, stateful_step_count=12, deadline=None, derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
