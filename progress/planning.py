"""The arithmetic of plans, pace and forecasts: pure functions over days and minutes.

Nothing here touches the database, so every rule can be tested on a hand-made
case. Minutes are whole numbers throughout; days are the student's local dates.
"""

import datetime as dt
import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)
# A plan that has not finished after two years of walking will never finish.
MAX_PLAN_DAYS = 730


@dataclass(frozen=True)
class DailyHours:
    """How many minutes a student means to study on each kind of day."""

    weekday_minutes: int
    weekend_minutes: int
    days_off: frozenset[dt.date] = field(default_factory=frozenset)

    def capacity(self, day: dt.date) -> int:
        if day in self.days_off:
            return 0
        return self.weekend_minutes if day.weekday() >= 5 else self.weekday_minutes

    def capacity_between(self, first: dt.date, last: dt.date) -> int:
        return sum(self.capacity(day) for day in days_between(first, last))


@dataclass(frozen=True)
class PlannedLesson:
    lesson_id: int
    minutes: int
    starts_on: dt.date | None
    ends_on: dt.date | None


def days_between(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def plan_lessons(*, remaining: list[tuple[int, int]], starts_on: dt.date, hours: DailyHours) -> list[PlannedLesson]:
    """Walk the lessons in order, filling each day's capacity with what is left of them.

    `remaining` is (lesson id, minutes still to study) in course order. A
    lesson with nothing left gets no days. A lesson that can not be placed
    within MAX_PLAN_DAYS (no capacity at all) gets no end day.
    """
    planned: list[PlannedLesson] = []
    day = starts_on
    left_today = hours.capacity(day)
    limit = starts_on + dt.timedelta(days=MAX_PLAN_DAYS)
    for lesson_id, minutes in remaining:
        if minutes <= 0:
            planned.append(PlannedLesson(lesson_id, 0, None, None))
            continue
        to_place = minutes
        lesson_start = None
        while to_place > 0 and day <= limit:
            if left_today <= 0:
                day += ONE_DAY
                left_today = hours.capacity(day)
                continue
            lesson_start = lesson_start or day
            used = min(left_today, to_place)
            to_place -= used
            left_today -= used
        finished = to_place == 0
        planned.append(PlannedLesson(lesson_id, minutes, lesson_start, day if finished else None))
    return planned


def plan_end(planned: list[PlannedLesson]) -> dt.date | None:
    """The last planned day, or None when some lesson could not be placed at all."""
    if any(item.minutes and item.ends_on is None for item in planned):
        return None
    ends = [item.ends_on for item in planned if item.ends_on]
    return max(ends) if ends else None


@dataclass(frozen=True)
class NeededHours:
    weekday_minutes: int
    weekend_minutes: int


def hours_needed_to_fit(*, total_minutes: int, first: dt.date, last: dt.date, hours: DailyHours) -> NeededHours | None:
    """The daily hours (keeping the weekday/weekend ratio) that fit `total_minutes` into first..last.

    None when no day in the window is available.
    """
    days = [day for day in days_between(first, last) if day not in hours.days_off]
    if not days:
        return None
    capacity = hours.capacity_between(first, last)
    if capacity == 0:
        # No hours chosen at all: spread evenly over the available days.
        per_day = math.ceil(total_minutes / len(days))
        return NeededHours(per_day, per_day)
    scale = total_minutes / capacity
    return NeededHours(_round_up_to_quarter(hours.weekday_minutes * scale), _round_up_to_quarter(hours.weekend_minutes * scale))


def _round_up_to_quarter(minutes: float) -> int:
    return int(math.ceil(minutes / 15 - 1e-9) * 15)


def planned_cumulative(planned: list[PlannedLesson], hours: DailyHours) -> dict[dt.date, int]:
    """Planned minutes per day, each lesson spread evenly over its available days, as a running total.

    Spreading per lesson (rather than replaying the original walk) keeps the
    curve right after the student moves a lesson's end day by hand.
    """
    per_day: dict[dt.date, float] = {}
    for item in planned:
        if not item.minutes or item.starts_on is None or item.ends_on is None:
            continue
        days = [day for day in days_between(item.starts_on, item.ends_on) if hours.capacity(day) > 0]
        days = days or [item.ends_on]
        share = item.minutes / len(days)
        for day in days:
            per_day[day] = per_day.get(day, 0) + share
    running = 0.0
    cumulative: dict[dt.date, int] = {}
    for day in sorted(per_day):
        running += per_day[day]
        cumulative[day] = round(running)
    return cumulative


def planned_by(cumulative: dict[dt.date, int], day: dt.date) -> int:
    """Planned minutes done by the end of `day`."""
    total = 0
    for planned_day, running in cumulative.items():
        if planned_day > day:
            break
        total = running
    return total


def days_ahead(*, cumulative: dict[dt.date, int], logged_minutes: int, today: dt.date, starts_on: dt.date) -> int:
    """Positive: days ahead of the plan; negative: days behind; 0: on track.

    The plan says what should be done before today begins (by the end of
    yesterday). A student is as far along as the latest plan day whose running
    total they have reached; days off keep the total flat, so they count too.
    Someone who has done the whole plan is never "behind".
    """
    if not cumulative:
        return 0
    expected_day = max(today, starts_on) - ONE_DAY
    last_day = max(cumulative)
    if logged_minutes >= cumulative[last_day]:
        return max((last_day - expected_day).days, 0)
    reached = starts_on - ONE_DAY
    running = 0
    plan_days = iter(sorted(cumulative.items()))
    next_day, next_total = next(plan_days, (None, 0))
    # One pass over the days: the running total only changes on plan days.
    for day in days_between(starts_on, last_day):
        while next_day is not None and next_day <= day:
            running = next_total
            next_day, next_total = next(plan_days, (None, 0))
        if running > logged_minutes:
            break
        reached = day
    return (reached - expected_day).days


def plan_status_words(days_ahead: int | None, *, short: bool = False) -> str:
    """'ahead by 3 days', 'behind by 1 day', 'on track' or 'no plan yet'; short: 'ahead by 3 d' for tables."""
    if days_ahead is None:
        return "no plan" if short else "no plan yet"
    if days_ahead == 0:
        return "on track"
    direction = "ahead" if days_ahead > 0 else "behind"
    days = abs(days_ahead)
    unit = "d" if short else ("day" if days == 1 else "days")
    return f"{direction} by {days} {unit}"


class Course(enum.StrEnum):
    """Where a student stands against their plan, or without one against the cut-off."""

    FINISHED = "finished"
    AHEAD = "ahead"
    ON_TRACK = "on-track"
    BEHIND = "behind"
    NO_PLAN_ON_COURSE = "no-plan-on-course"
    NO_PLAN_OFF_COURSE = "no-plan-off-course"


ON_COURSE = frozenset({Course.FINISHED, Course.AHEAD, Course.ON_TRACK, Course.NO_PLAN_ON_COURSE})


@dataclass(frozen=True)
class Verdict:
    """The one rule for "are you on course?" and the one wording of it: the email's tone and its words agree."""

    course: Course
    days: int = 0

    @property
    def on_course(self) -> bool:
        return self.course in ON_COURSE

    @property
    def headline(self) -> str:
        days = f"{self.days} day{'s' if self.days != 1 else ''}"
        return {
            Course.FINISHED: "You have finished every lesson.",
            Course.AHEAD: f"You are on track, {days} ahead of your plan.",
            Course.ON_TRACK: "You are on track with your plan.",
            Course.BEHIND: f"You are behind your plan by {days}.",
            Course.NO_PLAN_ON_COURSE: "You are on track: without a plan yet, your recent pace finishes before the cut-off.",
            Course.NO_PLAN_OFF_COURSE: "You are behind: without a plan yet, your recent pace does not finish before the cut-off.",
        }[self.course]


def verdict(*, is_finished: bool, days_ahead: int | None, forecast_finish: dt.date | None, cutoff_day: dt.date) -> Verdict:
    """With a plan, its days ahead or behind decide; without one, whether the recent pace finishes in time."""
    if is_finished:
        return Verdict(Course.FINISHED)
    if days_ahead is None:
        in_time = forecast_finish is not None and forecast_finish <= cutoff_day
        return Verdict(Course.NO_PLAN_ON_COURSE if in_time else Course.NO_PLAN_OFF_COURSE)
    if days_ahead > 0:
        return Verdict(Course.AHEAD, days_ahead)
    if days_ahead < 0:
        return Verdict(Course.BEHIND, -days_ahead)
    return Verdict(Course.ON_TRACK)


def safe_days(*, remaining_minutes: int, today: dt.date, last_day: dt.date, hours: DailyHours) -> int:
    """Whole days from today the student could study nothing and still finish by `last_day`.

    Negative when even studying every planned hour from today is not enough.
    """
    if today > last_day:
        return 0 if remaining_minutes <= 0 else -1
    if remaining_minutes <= 0:
        return (last_day - today).days + 1
    gathered = 0
    day = last_day
    while day >= today:
        gathered += hours.capacity(day)
        if gathered >= remaining_minutes:
            return (day - today).days
        day -= ONE_DAY
    return -1


@dataclass(frozen=True)
class Forecast:
    remaining_minutes: int
    pace_7_days: float  # minutes a day over the last 7 days
    pace_overall: float  # minutes a day since the student started
    finish_on_7_day_pace: dt.date | None
    finish_on_overall_pace: dt.date | None
    needed_per_day_by_target: int | None
    needed_per_day_by_cutoff: int | None
    is_finished: bool
    is_closed: bool


def forecast(
    *,
    remaining_minutes: int,
    minutes_last_7_days: int,
    minutes_total: int,
    first_study_day: dt.date | None,
    today: dt.date,
    target_on: dt.date | None,
    cutoff_day: dt.date,
    closed: bool,
) -> Forecast:
    pace_7 = minutes_last_7_days / 7
    studied_days = (today - first_study_day).days + 1 if first_study_day else 0
    pace_all = minutes_total / studied_days if studied_days > 0 else 0.0

    def finish(pace: float) -> dt.date | None:
        if remaining_minutes <= 0:
            return today
        if pace <= 0:
            return None
        return today + dt.timedelta(days=math.ceil(remaining_minutes / pace))

    def needed_by(last: dt.date | None) -> int | None:
        if last is None:
            return None
        if remaining_minutes <= 0:
            return 0
        days = (last - today).days + 1
        return math.ceil(remaining_minutes / days) if days > 0 else None

    return Forecast(
        remaining_minutes=max(remaining_minutes, 0),
        pace_7_days=pace_7,
        pace_overall=pace_all,
        finish_on_7_day_pace=finish(pace_7),
        finish_on_overall_pace=finish(pace_all),
        needed_per_day_by_target=needed_by(target_on),
        needed_per_day_by_cutoff=needed_by(cutoff_day),
        is_finished=remaining_minutes <= 0,
        is_closed=closed,
    )
