"""The verdict's database form (review.selectors.verdicts) says what the pure function (progress.standing.status_on)
says, for any stored numbers, cohort rules, zone and instant: the cohort page filters and counts 10,000
students with the one, the dashboard shows the other."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from progress.models import Cohort, StudentRollup
from progress.selectors.numbers import rollup_status
from review.selectors.cohorts import cohort_rollups
from tests.factories import CohortFactory, EnrollmentFactory

OPENS = dt.date(2026, 11, 9)
ZONES = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Kolkata", "Europe/Berlin", "America/Los_Angeles", "Pacific/Pago_Pago"]
days = st.integers(-3, 75).map(lambda n: OPENS + dt.timedelta(days=n))


@st.composite
def stored(draw):
    last = draw(st.none() | days)
    has_plan = draw(st.booleans())
    plan_start = draw(days)
    return {
        "last_study_day": last,
        "first_study_day": last and last - dt.timedelta(days=draw(st.integers(0, 30))),
        "total_minutes": 0 if last is None else draw(st.integers(1, 20_000)),
        "days_studied": 0 if last is None else draw(st.integers(1, 60)),
        "finished_on": draw(st.one_of(st.none(), st.none(), st.none(), days)),
        "late_from": None if last is None else draw(st.none() | st.none() | st.integers(0, 8).map(lambda n: last + dt.timedelta(days=n))),
        "has_plan": has_plan,
        "plan_starts_on": plan_start if has_plan else None,
        "plan_ends_on": plan_start + dt.timedelta(days=draw(st.integers(0, 60))) if has_plan else None,
        "plan_reached_on": plan_start + dt.timedelta(days=draw(st.integers(-1, 60))) if has_plan else None,
        "plan_done": draw(st.booleans()) if has_plan else False,
    }


class VerdictInTheDatabaseTests(TestCase):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        students=st.lists(st.tuples(st.sampled_from(ZONES), stored()), min_size=1, max_size=4),
        idle=st.integers(1, 30), silent=st.integers(0, 4), cutoff=st.integers(20, 70), data=st.data(),
    )
    def test_the_database_and_the_pure_function_give_every_student_the_same_verdict(self, students, idle, silent, cutoff, data):
        # The instant is drawn near a day where some rule turns (idle, late, behind, the grace weeks), in any zone.
        turning = [OPENS + dt.timedelta(days=7 * silent)]
        for _, numbers in students:
            if numbers["last_study_day"]:
                turning += [numbers["last_study_day"] + dt.timedelta(days=idle), numbers["late_from"] or numbers["last_study_day"]]
            if numbers["plan_reached_on"]:
                turning.append(numbers["plan_reached_on"] + dt.timedelta(days=2))
        day = data.draw(st.sampled_from(turning))
        at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(hours=data.draw(st.integers(-40, 40)))
        cohort = CohortFactory(
            opens_on=OPENS, at_risk_idle_days=idle, at_risk_silent_weeks=silent,
            cutoff_at=Cohort.cutoff_from_local(day=OPENS + dt.timedelta(days=cutoff), time_zone="America/Los_Angeles"),
        )
        for zone, numbers in students:
            enrollment = EnrollmentFactory(cohort=cohort, time_zone=zone)
            StudentRollup.objects.filter(enrollment=enrollment).update(**numbers)
        rows = list(cohort_rollups(cohort=cohort, now=at).select_related("enrollment__cohort"))
        assert len(rows) == len(students)
        for row in rows:
            assert row.verdict == rollup_status(rollup=row, enrollment=row.enrollment, now=at).verdict.value


HAND_MADE = [  # (zone, stored numbers): one student for each rule's turning day
    ("Europe/Berlin", {"last_study_day": OPENS + dt.timedelta(days=3), "total_minutes": 100, "days_studied": 1}),
    ("Pacific/Auckland", {"last_study_day": OPENS + dt.timedelta(days=3), "late_from": OPENS + dt.timedelta(days=8), "total_minutes": 100, "days_studied": 1}),
    ("America/Los_Angeles", {
        "last_study_day": OPENS + dt.timedelta(days=4), "total_minutes": 600, "days_studied": 3, "has_plan": True,
        "plan_starts_on": OPENS, "plan_ends_on": OPENS + dt.timedelta(days=30), "plan_reached_on": OPENS + dt.timedelta(days=5),
    }),
    ("Pacific/Kiritimati", {}),
    ("Pacific/Pago_Pago", {"last_study_day": OPENS + dt.timedelta(days=9), "late_from": OPENS + dt.timedelta(days=9), "total_minutes": 50, "days_studied": 1}),
    ("Asia/Kolkata", {"finished_on": OPENS + dt.timedelta(days=20), "last_study_day": OPENS + dt.timedelta(days=20), "total_minutes": 5000}),
]


def test_every_turning_day_of_every_rule_gives_the_same_verdict_in_the_database(db):
    """Hour by hour across three weeks, each hand-made student's verdict turns on its day in both forms alike."""
    cohort = CohortFactory(
        opens_on=OPENS, at_risk_idle_days=6, at_risk_silent_weeks=1,
        cutoff_at=Cohort.cutoff_from_local(day=OPENS + dt.timedelta(days=40), time_zone="America/Los_Angeles"),
    )
    for zone, numbers in HAND_MADE:
        StudentRollup.objects.filter(enrollment=EnrollmentFactory(cohort=cohort, time_zone=zone)).update(**numbers)
    seen = set()
    for hours in range(0, 21 * 24, 5):
        at = dt.datetime(2026, 11, 9, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
        for row in cohort_rollups(cohort=cohort, now=at).select_related("enrollment__cohort"):
            status = rollup_status(rollup=row, enrollment=row.enrollment, now=at)
            assert row.verdict == status.verdict.value, (row.enrollment.time_zone, at, status.reasons)
            seen.add((row.verdict, status.reasons))
    assert {verdict for verdict, _ in seen} == {"at-risk", "behind", "on-track", "finished"}
    assert {reason for _, reasons in seen for reason in reasons} == {"never-logged", "idle", "late"}
