"""The cohort page counts, filters and sorts 10,000 students by the verdict written as a database expression
(review.selectors.verdicts); it must say what the one pure function (progress.standing.status_on) says, for any
stored numbers, any cohort thresholds, any zone and any moment."""

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from progress import planning
from progress.models import Cohort, StudentRollup
from progress.selectors.numbers import rollup_status
from progress.course_days import cutoff_day_in
from progress.standing import StoredNumbers
from review.selectors.cohorts import cohort_headline, cohort_rollups
from tests.factories import CohortFactory, EnrollmentFactory

OPENS = dt.date(2030, 11, 9)
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")
# From UTC+14 to UTC-11: at any instant these zones are on up to three different dates.
ZONES = ["Pacific/Kiritimati", "Asia/Kolkata", "Europe/Berlin", "UTC", "America/Los_Angeles", "Pacific/Pago_Pago"]


def day_near_the_course():
    return st.integers(min_value=-3, max_value=70).map(lambda offset: OPENS + dt.timedelta(days=offset))


@st.composite
def students(draw):
    """A zone and stored numbers as `stored_numbers` would make them (late_from from the rest, in that zone)."""
    zone = draw(st.sampled_from(ZONES))
    last = draw(st.none() | day_near_the_course())
    recent = ()
    if last is not None:
        recent = (draw(st.integers(1, 600)), *draw(st.lists(st.integers(0, 600), min_size=6, max_size=6)))
    # Mostly few minutes left, so that many students finish in time and the plan decides between on track and behind.
    remaining = draw(st.sampled_from([0, 1, 60, 600, 3000, 9960]) | st.integers(0, 1_000) | st.integers(0, 10_000))
    finished_on = draw(st.none() | day_near_the_course()) if draw(st.integers(0, 4)) == 0 else None
    plan = {}
    if draw(st.booleans()):
        starts_on = draw(day_near_the_course())
        length = draw(st.none() | st.integers(0, 50))
        ends_on = starts_on + dt.timedelta(days=length) if length is not None else None
        done = ends_on is None or draw(st.booleans())
        if done:
            reached_on = ends_on or starts_on - dt.timedelta(days=1)
        else:
            reached_on = starts_on + dt.timedelta(days=draw(st.integers(-1, length)))
        plan = {"has_plan": True, "plan_starts_on": starts_on, "plan_ends_on": ends_on, "plan_reached_on": reached_on, "plan_done": done}
    cohort_stub = Cohort(opens_on=OPENS, cutoff_at=CUTOFF)
    numbers = StoredNumbers(
        last_study_day=last, recent_minutes=recent, remaining_minutes=remaining, finished_on=finished_on,
        late_from=planning.late_from(
            remaining_minutes=remaining, recent=recent, last_study_day=last, cutoff_day=cutoff_day_in(time_zone=zone, cohort=cohort_stub)
        ),
        **plan,
    )
    return zone, numbers


MOMENTS = st.integers(min_value=-4 * 24, max_value=70 * 24).map(
    lambda hours: dt.datetime.combine(OPENS, dt.time(0, 30), tzinfo=dt.UTC) + dt.timedelta(hours=hours)
)


def moments_near(days: list[dt.date]):
    """Instants around the days where a verdict can flip (the last study day, the plan's day reached, the day
    late from, the silent weeks' end), at any hour, so each zone meets them on its own date."""
    return st.tuples(st.sampled_from(days), st.integers(-2, 3), st.integers(0, 23), st.sampled_from([0, 30, 45])).map(
        lambda t: dt.datetime.combine(t[0] + dt.timedelta(days=t[1]), dt.time(t[2], t[3]), tzinfo=dt.UTC)
    )


class VerdictExpressionTests(TestCase):
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        cohort_students=st.lists(students(), min_size=1, max_size=6),
        idle_days=st.integers(1, 10),
        silent_weeks=st.integers(0, 3),
        data=st.data(),
    )
    def test_the_database_verdict_is_the_pure_functions_verdict(self, cohort_students, idle_days, silent_weeks, data):
        cohort = CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, at_risk_idle_days=idle_days, at_risk_silent_weeks=silent_weeks)
        turning_points = [OPENS + dt.timedelta(weeks=silent_weeks)]
        for zone, numbers in cohort_students:
            enrollment = EnrollmentFactory(cohort=cohort, time_zone=zone)
            values = dataclasses.asdict(numbers)
            values["recent_minutes"] = list(numbers.recent_minutes)
            StudentRollup.objects.update_or_create(enrollment=enrollment, defaults={"cohort": cohort, **values})
            turning_points += [day for day in (numbers.last_study_day, numbers.plan_reached_on, numbers.late_from) if day]
        moments = data.draw(st.lists(MOMENTS | moments_near(turning_points), min_size=1, max_size=4))
        rollups = list(StudentRollup.objects.filter(cohort=cohort).select_related("enrollment__cohort"))
        for now in moments:
            expected = {r.enrollment_id: rollup_status(rollup=r, enrollment=r.enrollment, now=now).verdict.value for r in rollups}
            found = dict(cohort_rollups(cohort=cohort, now=now).values_list("enrollment_id", "verdict"))
            assert found == expected, now
            headline = cohort_headline(cohort=cohort, now=now)
            counted = [list(expected.values()).count(code) for code in ("at-risk", "behind", "on-track", "finished")]
            assert [headline.at_risk, headline.behind, headline.on_track, headline.finished] == counted
            assert sum(counted) == headline.enrolled == len(rollups)
