"""Plans, pace, forecasts and the one verdict on hand-made cases, with every day written out."""

import datetime as dt
from decimal import Decimal

import pytest

from lessons.models import Lesson
from progress.models import Cohort
from progress.planning import (
    DailyHours,
    PlannedLesson,
    PlanPosition,
    as_of_day,
    days_ahead,
    forecast_finish,
    hours_needed_to_fit,
    late_from,
    minutes_last_7_days,
    needed_per_day,
    plan_end,
    plan_lessons,
    plan_position,
    plan_status_words,
    planned_cumulative,
    recent_minutes,
    safe_days,
)
from progress.standing import RiskReason, Rules, StoredNumbers, Verdict, status_on, stored_numbers

D = dt.date
# Monday 5 November 2018: the week runs Mon 5 .. Sun 11.
MON = D(2018, 11, 5)


def test_plan_fills_weekdays_and_weekends_at_their_own_hours_in_lesson_order():
    hours = DailyHours(weekday_minutes=180, weekend_minutes=300)
    planned = plan_lessons(remaining=[(1, 120), (2, 600), (3, 300)], starts_on=MON, hours=hours)
    # Mon 180: L1 120 + L2 60 | Tue 180 L2 | Wed 180 L2 | Thu 180: L2 180 (done: 60+180*3=600) | Fri 180 L3 | Sat 300: L3 120 done
    assert planned == [
        PlannedLesson(1, 120, D(2018, 11, 5), D(2018, 11, 5)),
        PlannedLesson(2, 600, D(2018, 11, 5), D(2018, 11, 8)),
        PlannedLesson(3, 300, D(2018, 11, 9), D(2018, 11, 10)),
    ]
    assert plan_end(planned) == D(2018, 11, 10)


def test_days_off_are_skipped_and_done_lessons_get_no_days():
    hours = DailyHours(weekday_minutes=240, weekend_minutes=0, days_off=frozenset({D(2018, 11, 6)}))
    planned = plan_lessons(remaining=[(1, 0), (2, 480), (3, 60)], starts_on=MON, hours=hours)
    # Mon 240 | Tue off | Wed 240 (L2 done) | Thu L3
    assert planned == [
        PlannedLesson(1, 0, None, None),
        PlannedLesson(2, 480, D(2018, 11, 5), D(2018, 11, 7)),
        PlannedLesson(3, 60, D(2018, 11, 8), D(2018, 11, 8)),
    ]


def test_a_plan_with_no_hours_at_all_has_no_end():
    planned = plan_lessons(remaining=[(1, 60)], starts_on=MON, hours=DailyHours(0, 0))
    assert plan_end(planned) is None


def test_hours_needed_keep_the_weekday_weekend_ratio_and_round_up_to_quarters():
    hours = DailyHours(weekday_minutes=60, weekend_minutes=120)
    # Mon..Sun: capacity 5*60 + 2*120 = 540; 1080 minutes need double.
    needed = hours_needed_to_fit(total_minutes=1080, first=MON, last=D(2018, 11, 11), hours=hours)
    assert (needed.weekday_minutes, needed.weekend_minutes) == (120, 240)
    odd = hours_needed_to_fit(total_minutes=1000, first=MON, last=D(2018, 11, 11), hours=hours)
    assert (odd.weekday_minutes, odd.weekend_minutes) == (120, 225)  # 111.1 -> 120, 222.2 -> 225


def test_hours_needed_when_every_day_is_off_is_unknown():
    hours = DailyHours(60, 60, days_off=frozenset({MON}))
    assert hours_needed_to_fit(total_minutes=60, first=MON, last=MON, hours=hours) is None


def test_cumulative_plan_spreads_each_lesson_over_its_days():
    hours = DailyHours(weekday_minutes=120, weekend_minutes=120)
    planned = [PlannedLesson(1, 240, MON, D(2018, 11, 6)), PlannedLesson(2, 120, D(2018, 11, 7), D(2018, 11, 7))]
    assert planned_cumulative(planned, hours) == {MON: 120, D(2018, 11, 6): 240, D(2018, 11, 7): 360}


@pytest.fixture
def three_day_plan():
    # 60 minutes planned Mon, Tue, Wed.
    hours = DailyHours(weekday_minutes=60, weekend_minutes=60)
    return planned_cumulative([PlannedLesson(1, 180, MON, D(2018, 11, 7))], hours)


@pytest.mark.parametrize(
    ("logged", "reached_on", "done"),
    [
        (0, D(2018, 11, 4), False),  # nothing reached: the day before the plan starts
        (59, D(2018, 11, 4), False),
        (60, MON, False),  # Monday's running total of 60
        (179, D(2018, 11, 6), False),  # Tuesday's 120, not Wednesday's 180
        (180, D(2018, 11, 7), True),  # the whole plan
        (500, D(2018, 11, 7), True),
    ],
)
def test_plan_position_is_the_latest_plan_day_the_work_has_reached(three_day_plan, logged, reached_on, done):
    assert plan_position(cumulative=three_day_plan, logged_minutes=logged, starts_on=MON) == PlanPosition(
        starts_on=MON, ends_on=D(2018, 11, 7), reached_on=reached_on, done=done
    )


@pytest.mark.parametrize(
    ("today", "logged", "expected"),
    [
        (MON, 0, 0),  # nothing was due before Monday
        (D(2018, 11, 6), 60, 0),  # Monday's hour done
        (D(2018, 11, 6), 0, -1),  # Monday's hour missing
        (D(2018, 11, 7), 0, -2),
        (D(2018, 11, 6), 120, 1),  # Tuesday's done already
        (MON, 180, 3),  # the whole plan done on day one
        (D(2018, 11, 20), 180, 0),  # finished, long after: on plan, not behind
        (D(2018, 11, 20), 120, -13),  # reached Tuesday 6th; the plan expected the 19th
        (D(2018, 11, 1), 0, 0),  # before the plan starts
    ],
)
def test_days_ahead_or_behind(three_day_plan, today, logged, expected):
    position = plan_position(cumulative=three_day_plan, logged_minutes=logged, starts_on=MON)
    assert days_ahead(position=position, today=today) == expected


def test_the_position_does_not_move_as_days_pass_but_days_ahead_does(three_day_plan):
    position = plan_position(cumulative=three_day_plan, logged_minutes=60, starts_on=MON)  # reached Monday
    # Behind exactly from the day after next: on Tuesday Monday was due (0), on Wednesday Tuesday was (-1).
    assert [days_ahead(position=position, today=MON + dt.timedelta(days=n)) for n in range(4)] == [1, 0, -1, -2]


def test_an_empty_plan_is_done_and_never_behind():
    position = plan_position(cumulative={}, logged_minutes=0, starts_on=MON)
    assert position == PlanPosition(starts_on=MON, ends_on=None, reached_on=D(2018, 11, 4), done=True)
    assert days_ahead(position=position, today=D(2018, 12, 1)) == 0


def test_days_off_inside_a_plan_count_as_reached():
    hours = DailyHours(60, 60, days_off=frozenset({D(2018, 11, 6)}))
    cumulative = planned_cumulative([PlannedLesson(1, 120, MON, D(2018, 11, 7))], hours)
    # On Wednesday with Monday's hour done, the plan expected 60 by the end of Tuesday (a day off).
    position = plan_position(cumulative=cumulative, logged_minutes=60, starts_on=MON)
    assert position.reached_on == D(2018, 11, 6)
    assert days_ahead(position=position, today=D(2018, 11, 7)) == 0


@pytest.mark.parametrize(
    ("days", "short", "words"),
    [
        (0, False, "on plan"),  # "on track" is a verdict, not a place on the plan
        (3, False, "ahead by 3 days"),
        (-1, False, "behind by 1 day"),
        (-2, True, "behind by 2 d"),
        (None, False, "no plan yet"),
        (None, True, "no plan"),
    ],
)
def test_plan_status_words(days, short, words):
    assert plan_status_words(days, short=short) == words


@pytest.mark.parametrize(
    ("remaining", "expected"),
    [
        (0, 7),  # nothing left: every day to the cut-off is safe
        (60, 6),  # one hour fits on the last day
        (61, 5),
        (7 * 60, 0),  # needs every day from today
        (7 * 60 + 1, -1),  # does not fit at the planned hours
    ],
)
def test_safe_days_before_the_cutoff(remaining, expected):
    hours = DailyHours(weekday_minutes=60, weekend_minutes=60)
    assert safe_days(remaining_minutes=remaining, today=MON, last_day=D(2018, 11, 11), hours=hours) == expected


def test_safe_days_after_the_cutoff():
    hours = DailyHours(60, 60)
    assert safe_days(remaining_minutes=30, today=D(2018, 11, 12), last_day=D(2018, 11, 11), hours=hours) == -1
    assert safe_days(remaining_minutes=0, today=D(2018, 11, 12), last_day=D(2018, 11, 11), hours=hours) == 0


# --- The recent pace and the forecast -----------------------------------------------------------------

THU = D(2018, 11, 8)
AN_HOUR_A_DAY = (60,) * 7  # an hour on each of the 7 days up to the last study day


def test_recent_minutes_are_the_last_study_day_and_the_six_days_before_it_newest_first():
    by_day = {D(2018, 10, 31): 500, MON: 30, D(2018, 11, 7): 60, THU: 90}
    # Thu 8: 90, Wed 7: 60, Tue 6: 0, Mon 5: 30, Sun 4 .. Fri 2: 0; 31 Oct is 8 days back, outside.
    assert recent_minutes(minutes_by_day=by_day, last_study_day=THU) == (90, 60, 0, 30, 0, 0, 0)
    assert recent_minutes(minutes_by_day={}, last_study_day=None) == ()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (THU, 180),  # 2 .. 8 Nov: 90 + 60 + 30
        (D(2018, 11, 9), 180),  # 3 .. 9 Nov: the 2nd had nothing
        (D(2018, 11, 11), 180),  # 5 .. 11 Nov: Monday's 30 is the oldest day still in
        (D(2018, 11, 12), 150),  # 6 .. 12 Nov: Monday's 30 has dropped out
        (D(2018, 11, 14), 90),  # 8 .. 14 Nov: the last study day alone
        (D(2018, 11, 15), 0),  # 9 .. 15 Nov: nothing
        (D(2018, 11, 7), 180),  # a zone where today is still the 7th: read as of the last study day, the 8th
    ],
)
def test_minutes_of_the_last_7_days_as_the_days_pass(today, expected):
    assert minutes_last_7_days(recent=(90, 60, 0, 30, 0, 0, 0), last_study_day=THU, today=today) == expected


def test_no_study_at_all_is_no_minutes_and_the_pace_is_read_on_today():
    assert minutes_last_7_days(recent=(), last_study_day=None, today=THU) == 0
    assert as_of_day(today=THU, last_study_day=None) == THU
    assert as_of_day(today=THU, last_study_day=D(2018, 11, 9)) == D(2018, 11, 9)
    assert as_of_day(today=THU, last_study_day=MON) == THU


@pytest.mark.parametrize(
    ("remaining", "today", "expected"),
    [
        (600, D(2018, 11, 14), D(2018, 11, 24)),  # 420 min a week is 60 a day: 600 min take 10 days
        (601, D(2018, 11, 14), D(2018, 11, 25)),  # 10.02 days: a started day counts
        (600, D(2018, 11, 16), D(2018, 11, 30)),  # two days on, 300 min in the last 7 days: 14 days
        (600, D(2018, 11, 17), D(2018, 12, 5)),  # 240 min: 17.5 days, so 18
        (600, D(2018, 11, 20), D(2019, 1, 29)),  # 60 min: 70 days
        (600, D(2018, 11, 21), None),  # nothing in the last 7 days: no forecast at all
        (0, D(2018, 11, 21), D(2018, 11, 21)),  # nothing left: finished today
        (600, D(2018, 11, 13), D(2018, 11, 24)),  # a zone where today is the 13th: as of the last study day, the 14th
    ],
)
def test_forecast_at_the_pace_of_the_last_7_days(remaining, today, expected):
    assert forecast_finish(remaining_minutes=remaining, recent=AN_HOUR_A_DAY, last_study_day=D(2018, 11, 14), today=today) == expected


def test_no_study_yet_has_no_forecast():
    assert forecast_finish(remaining_minutes=600, recent=(), last_study_day=None, today=D(2018, 11, 14)) is None


@pytest.mark.parametrize(
    ("cutoff", "expected"),
    [
        (D(2018, 11, 30), D(2018, 11, 17)),  # the 16th forecasts the 30th itself (in time); the 17th the 5 Dec
        (D(2018, 11, 23), D(2018, 11, 14)),  # late on the last study day already (24 Nov)
        (D(2019, 6, 1), D(2018, 11, 21)),  # in time on every forecast until there is none, 7 days on
    ],
)
def test_late_from_is_the_first_day_the_forecast_misses_the_cutoff(cutoff, expected):
    last = D(2018, 11, 14)
    late = late_from(remaining_minutes=600, recent=AN_HOUR_A_DAY, last_study_day=last, cutoff_day=cutoff)
    assert late == expected
    for day in (last + dt.timedelta(days=n) for n in range(12)):
        finish = forecast_finish(remaining_minutes=600, recent=AN_HOUR_A_DAY, last_study_day=last, today=day)
        assert (finish is None or finish > cutoff) == (day >= late), day


def test_late_from_without_study_or_without_anything_left():
    assert late_from(remaining_minutes=600, recent=(), last_study_day=None, cutoff_day=D(2018, 11, 30)) is None
    # Nothing left to study (but not every lesson marked done): late only once the cut-off has passed.
    assert late_from(remaining_minutes=0, recent=AN_HOUR_A_DAY, last_study_day=D(2018, 11, 14), cutoff_day=D(2018, 11, 30)) == D(2018, 12, 1)
    assert late_from(remaining_minutes=0, recent=AN_HOUR_A_DAY, last_study_day=D(2018, 12, 3), cutoff_day=D(2018, 11, 30)) == D(2018, 12, 3)


@pytest.mark.parametrize(
    ("remaining", "today", "last", "expected"),
    [
        (600, D(2018, 11, 14), D(2018, 11, 23), 60),  # 600 over the 10 days 14..23
        (600, D(2018, 11, 14), D(2018, 11, 30), 36),  # 600 over the 17 days 14..30, rounded up
        (600, D(2018, 11, 30), D(2018, 11, 30), 600),  # the last day itself
        (0, D(2018, 11, 14), D(2018, 11, 30), 0),  # nothing left
        (600, D(2018, 12, 2), D(2018, 11, 30), None),  # after the last day: no daily hours make it
        (600, D(2018, 11, 14), None, None),  # no target set
    ],
)
def test_minutes_needed_a_day(remaining, today, last, expected):
    assert needed_per_day(remaining_minutes=remaining, today=today, last=last) == expected


# --- The one verdict -------------------------------------------------------------------------------------

# Opens Thu 1 Nov; at risk after 5 idle days, or with nothing logged from week 2 (8 Nov); cut-off day 30 Nov.
RULES = Rules(opens_on=D(2018, 11, 1), idle_days=5, silent_weeks=1, cutoff_day=D(2018, 11, 30))
LAST = D(2018, 11, 14)


def studied(*, remaining=600, last=LAST, recent=AN_HOUR_A_DAY, cutoff=RULES.cutoff_day, **fields) -> StoredNumbers:
    """Numbers of a student who studied an hour a day up to `last`, with `remaining` minutes left."""
    return StoredNumbers(
        total_minutes=420, days_studied=7, first_study_day=last - dt.timedelta(days=6), last_study_day=last,
        recent_minutes=recent, remaining_minutes=remaining,
        late_from=late_from(remaining_minutes=remaining, recent=recent, last_study_day=last, cutoff_day=cutoff), **fields,
    )


def on_plan(*, reached_on, done=False) -> dict:
    return dict(has_plan=True, plan_starts_on=D(2018, 11, 1), plan_ends_on=D(2018, 11, 28), plan_reached_on=reached_on, plan_done=done)


def test_a_student_who_never_logged_is_on_track_in_week_one_and_at_risk_from_week_two():
    nothing = StoredNumbers(remaining_minutes=600)
    week_one = status_on(numbers=nothing, rules=RULES, today=D(2018, 11, 7))
    assert (week_one.verdict, week_one.reasons, week_one.forecast) == (Verdict.ON_TRACK, (), None)
    assert week_one.headline == "You are on track: your first study log starts your forecast."
    week_two = status_on(numbers=nothing, rules=RULES, today=D(2018, 11, 8))
    assert (week_two.verdict, week_two.reasons) == (Verdict.AT_RISK, (RiskReason.NEVER_LOGGED,))
    assert week_two.reason_words == ["no study log at all after week 1"]
    assert week_two.idle_days is None


def test_idle_for_the_cohorts_idle_days_is_at_risk():
    numbers = studied(remaining=60)  # an hour left: in time on every forecast; no forecast from the 21st
    assert numbers.late_from == D(2018, 11, 21)
    four_days = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 18))
    assert (four_days.verdict, four_days.reasons, four_days.idle_days) == (Verdict.ON_TRACK, (), 4)
    five_days = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 19))
    assert (five_days.verdict, five_days.reasons) == (Verdict.AT_RISK, (RiskReason.IDLE,))
    assert five_days.reason_words == ["no study log in the last 5 days"]
    assert five_days.level == "danger"
    week_on = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 21))
    assert week_on.reasons == (RiskReason.IDLE, RiskReason.LATE)
    assert week_on.reason_words == ["no study log in the last 7 days", "no study in the last 7 days, so no finish in sight"]


def test_late_from_the_first_day_the_forecast_misses_the_cutoff():
    numbers = studied()  # 600 min left at an hour a day: late from the 17th (see above)
    in_time = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 16))
    assert (in_time.verdict, in_time.forecast, in_time.forecast_misses_cutoff) == (Verdict.ON_TRACK, D(2018, 11, 30), False)
    assert in_time.headline == "You are on track: at your recent pace you finish before the cut-off."
    late = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 17))
    assert (late.verdict, late.reasons, late.forecast, late.forecast_misses_cutoff) == (
        Verdict.AT_RISK, (RiskReason.LATE,), D(2018, 12, 5), True
    )
    assert late.headline == "You are at risk of missing the cut-off: forecast finish 5 Dec, after the cut-off."
    assert (late.minutes_last_7_days, late.pace_7_days) == (240, 34)  # 240 / 7 = 34.3


def test_behind_the_plan_but_finishing_in_time():
    # The plan's running total was reached up to the 13th; on the 16th the plan expected the 15th.
    numbers = studied(remaining=60, **on_plan(reached_on=D(2018, 11, 13)))
    behind = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 16))
    assert (behind.verdict, behind.reasons, behind.days_ahead, behind.level) == (Verdict.BEHIND, (), -2, "warning")
    assert behind.headline == "You are behind your plan by 2 days, but at your recent pace you still finish before the cut-off."
    assert behind.plan_words == "behind by 2 days"
    on_the_plan = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 14))
    assert (on_the_plan.verdict, on_the_plan.days_ahead) == (Verdict.ON_TRACK, 0)
    assert on_the_plan.headline == "You are on track with your plan."
    ahead = status_on(numbers=studied(remaining=60, **on_plan(reached_on=D(2018, 11, 20))), rules=RULES, today=D(2018, 11, 16))
    assert (ahead.verdict, ahead.days_ahead) == (Verdict.ON_TRACK, 5)
    assert ahead.headline == "You are on track, 5 days ahead of your plan."


def test_at_risk_outranks_behind():
    numbers = studied(**on_plan(reached_on=D(2018, 11, 13)))
    status = status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 17))
    assert status.days_ahead == -3
    assert (status.verdict, status.reasons) == (Verdict.AT_RISK, (RiskReason.LATE,))


def test_finished_is_every_lesson_marked_done_whatever_the_clock():
    numbers = studied(finished_on=D(2018, 11, 14), remaining=0, lessons_done=10)
    long_after = status_on(numbers=numbers, rules=RULES, today=D(2018, 12, 20))  # idle for weeks, past the cut-off
    assert (long_after.verdict, long_after.reasons, long_after.forecast, long_after.level) == (
        Verdict.FINISHED, (), D(2018, 11, 14), "success"
    )
    assert long_after.headline == "You finished every lesson on 14 November."
    assert not long_after.forecast_misses_cutoff


def test_logging_every_estimate_without_marking_the_lessons_done_is_not_finished():
    lessons = []
    for number, hours, completed_on in ((1, "2.0", D(2018, 11, 10)), (2, "3.0", None)):
        lesson = Lesson(pk=number, number=number, estimated_hours=Decimal(hours))
        lesson.logged_minutes, lesson.completed_on = lesson.estimated_minutes, completed_on
        lessons.append(lesson)
    by_day = {D(2018, 11, 10): 120, D(2018, 11, 11): 180}
    numbers = stored_numbers(minutes_by_day=by_day, community_minutes=0, lessons=lessons, plan=None, cutoff_day=RULES.cutoff_day, project_submitted=False)
    assert (numbers.remaining_minutes, numbers.lessons_done, numbers.finished_on) == (0, 1, None)
    assert status_on(numbers=numbers, rules=RULES, today=D(2018, 11, 12)).verdict == Verdict.ON_TRACK
    lessons[1].completed_on = D(2018, 11, 12)
    done = stored_numbers(minutes_by_day=by_day, community_minutes=0, lessons=lessons, plan=None, cutoff_day=RULES.cutoff_day, project_submitted=False)
    assert (done.lessons_done, done.finished_on) == (2, D(2018, 11, 12))
    assert status_on(numbers=done, rules=RULES, today=D(2018, 11, 12)).verdict == Verdict.FINISHED


def test_a_student_who_moved_west_is_read_as_of_their_last_study_day():
    """Logged on the 15th in Tokyo, then moved to Hawaii, where today is still the 14th."""
    cutoff = D(2018, 11, 25)
    rules = Rules(opens_on=RULES.opens_on, idle_days=5, silent_weeks=1, cutoff_day=cutoff)
    last = D(2018, 11, 15)
    # 600 min at an hour a day: as of the 15th the forecast is the 25th (in time), as of the 16th the 28th.
    numbers = studied(last=last, cutoff=cutoff)
    assert numbers.late_from == D(2018, 11, 16)
    status = status_on(numbers=numbers, rules=rules, today=D(2018, 11, 14))
    assert (status.verdict, status.reasons, status.idle_days) == (Verdict.ON_TRACK, (), 0)
    assert (status.forecast, status.minutes_last_7_days) == (D(2018, 11, 25), 420)
    # A day tighter: late from the last study day itself, so late already, though today is the day before it.
    tight = studied(last=last, cutoff=cutoff - dt.timedelta(days=1))
    assert tight.late_from == last
    rules_tight = Rules(opens_on=RULES.opens_on, idle_days=5, silent_weeks=1, cutoff_day=cutoff - dt.timedelta(days=1))
    late = status_on(numbers=tight, rules=rules_tight, today=D(2018, 11, 14))
    assert (late.verdict, late.reasons, late.forecast) == (Verdict.AT_RISK, (RiskReason.LATE,), D(2018, 11, 25))


def test_the_rules_take_the_cutoff_day_in_the_students_zone():
    cohort = Cohort(
        opens_on=D(2018, 11, 9), cutoff_at=Cohort.cutoff_from_local(day=D(2019, 1, 9), time_zone="America/Los_Angeles"),
        at_risk_idle_days=4, at_risk_silent_weeks=2,
    )
    # 23:59 on 9 Jan in Los Angeles is the afternoon of 10 Jan in Tokyo.
    assert Rules.of(cohort=cohort, time_zone="Asia/Tokyo") == Rules(
        opens_on=D(2018, 11, 9), idle_days=4, silent_weeks=2, cutoff_day=D(2019, 1, 10)
    )
    assert Rules.of(cohort=cohort, time_zone="America/Los_Angeles").cutoff_day == D(2019, 1, 9)
    assert Rules.of(cohort=cohort, time_zone="UTC").silent_from == D(2018, 11, 23)
