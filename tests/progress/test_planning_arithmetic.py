"""Plans, pace and forecasts on hand-made cases, with every day written out."""

import datetime as dt

import pytest

from progress.planning import (
    DailyHours,
    PlannedLesson,
    days_ahead,
    forecast,
    hours_needed_to_fit,
    plan_end,
    plan_lessons,
    planned_cumulative,
    safe_days,
)

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
    ("today", "logged", "expected"),
    [
        (MON, 0, 0),  # nothing was due before Monday
        (D(2018, 11, 6), 60, 0),  # Monday's hour done
        (D(2018, 11, 6), 0, -1),  # Monday's hour missing
        (D(2018, 11, 7), 0, -2),
        (D(2018, 11, 6), 120, 1),  # Tuesday's done already
        (MON, 180, 3),  # the whole plan done on day one
        (D(2018, 11, 20), 180, 0),  # finished, long after: on track, not behind
        (D(2018, 11, 20), 120, -13),  # reached Tuesday 6th; the plan expected the 19th
        (D(2018, 11, 1), 0, 0),  # before the plan starts
    ],
)
def test_days_ahead_or_behind(three_day_plan, today, logged, expected):
    assert days_ahead(cumulative=three_day_plan, logged_minutes=logged, today=today, starts_on=MON) == expected


def test_days_off_inside_a_plan_count_as_reached():
    hours = DailyHours(60, 60, days_off=frozenset({D(2018, 11, 6)}))
    cumulative = planned_cumulative([PlannedLesson(1, 120, MON, D(2018, 11, 7))], hours)
    # On Wednesday with Monday's hour done, the plan expected 60 by the end of Tuesday (a day off).
    assert days_ahead(cumulative=cumulative, logged_minutes=60, today=D(2018, 11, 7), starts_on=MON) == 0


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


def base_forecast(**overrides):
    values = dict(
        remaining_minutes=600,
        minutes_last_7_days=7 * 60,
        minutes_total=14 * 60,
        first_study_day=D(2018, 11, 1),
        today=D(2018, 11, 14),
        target_on=D(2018, 11, 23),
        cutoff_day=D(2018, 11, 30),
        closed=False,
    )
    values.update(overrides)
    return forecast(**values)


def test_forecast_from_the_last_7_days_and_the_whole_course():
    result = base_forecast()
    assert result.finish_on_7_day_pace == D(2018, 11, 24)  # 600 min at 60 a day: 10 days
    assert result.finish_on_overall_pace == D(2018, 11, 24)  # 840 over 14 days is 60 a day too
    assert result.needed_per_day_by_target == 60  # 600 over the 10 days 14..23
    assert result.needed_per_day_by_cutoff == 36  # 600 over the 17 days 14..30, rounded up


def test_forecast_with_no_logs_yet():
    result = base_forecast(minutes_last_7_days=0, minutes_total=0, first_study_day=None)
    assert (result.finish_on_7_day_pace, result.finish_on_overall_pace) == (None, None)
    assert result.needed_per_day_by_cutoff == 36


def test_forecast_with_zero_pace_in_the_last_7_days_still_uses_the_overall_pace():
    result = base_forecast(minutes_last_7_days=0)
    assert result.finish_on_7_day_pace is None
    assert result.finish_on_overall_pace == D(2018, 11, 24)


def test_forecast_when_everything_is_done():
    result = base_forecast(remaining_minutes=0)
    assert result.is_finished
    assert result.finish_on_7_day_pace == D(2018, 11, 14)
    assert (result.needed_per_day_by_target, result.needed_per_day_by_cutoff) == (0, 0)


def test_forecast_after_the_cutoff_needs_no_daily_hours():
    result = base_forecast(today=D(2018, 12, 2), closed=True)
    assert result.is_closed
    assert (result.needed_per_day_by_target, result.needed_per_day_by_cutoff) == (None, None)
