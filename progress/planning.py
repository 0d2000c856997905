"""The arithmetic of plans, pace and forecasts: pure functions over days and minutes.

Nothing here touches the database, so every rule can be tested on a hand-made
case. Minutes are whole numbers throughout; days are the student's local dates.
"""

import datetime as dt
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


@dataclass(frozen=True)
class PlanPosition:
    """How far along a plan the student's work has got: a fact of the plan and the work, not of today.

    `reached_on` is the latest plan day whose running total the work has reached (the day before the plan
    starts when none); `done` when the work covers the whole plan; `ends_on` is the plan's last day.
    """

    starts_on: dt.date
    ends_on: dt.date | None
    reached_on: dt.date
    done: bool


def plan_position(*, cumulative: dict[dt.date, int], logged_minutes: int, starts_on: dt.date) -> PlanPosition:
    if not cumulative:
        return PlanPosition(starts_on=starts_on, ends_on=None, reached_on=starts_on - ONE_DAY, done=True)
    last_day = max(cumulative)
    if logged_minutes >= cumulative[last_day]:
        return PlanPosition(starts_on=starts_on, ends_on=last_day, reached_on=last_day, done=True)
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
    return PlanPosition(starts_on=starts_on, ends_on=last_day, reached_on=reached, done=False)


def days_ahead(*, position: PlanPosition, today: dt.date) -> int:
    """Positive: days ahead of the plan; negative: days behind; 0: on track.

    The plan says what should be done before today begins (by the end of yesterday). A student is as far
    along as the latest plan day whose running total they have reached; days off keep the total flat, so
    they count too. Someone who has done the whole plan is never "behind". Behind exactly when
    `today >= reached_on + 2 days` (the database's form of this rule, review.selectors.verdicts, relies on it).
    """
    expected_day = max(today, position.starts_on) - ONE_DAY
    if position.done:
        return max((position.ends_on - expected_day).days, 0) if position.ends_on else 0
    return (position.reached_on - expected_day).days


def plan_status_words(days_ahead: int | None, *, short: bool = False) -> str:
    """'ahead by 3 days', 'behind by 1 day', 'on track' or 'no plan yet'; short: 'ahead by 3 d' for tables."""
    if days_ahead is None:
        return "no plan" if short else "no plan yet"
    if days_ahead == 0:
        return "on plan"
    direction = "ahead" if days_ahead > 0 else "behind"
    days = abs(days_ahead)
    unit = "d" if short else ("day" if days == 1 else "days")
    return f"{direction} by {days} {unit}"


# --- Recent pace and the forecast ---------------------------------------------------------------------

RECENT_DAYS = 7


def recent_minutes(*, minutes_by_day: dict[dt.date, int], last_study_day: dt.date | None) -> tuple[int, ...]:
    """Minutes studied on the last study day and each of the six days before it (newest first).

    Enough to know the minutes of the last 7 days on any later day without the logs: no log lies after
    the last study day.
    """
    if last_study_day is None:
        return ()
    return tuple(minutes_by_day.get(last_study_day - dt.timedelta(days=back), 0) for back in range(RECENT_DAYS))


def as_of_day(*, today: dt.date, last_study_day: dt.date | None) -> dt.date:
    """The day the pace is read on: today, or the last study day if that is later in the student's zone (a
    student who moved west may have logged "tomorrow")."""
    return max(today, last_study_day) if last_study_day else today


def minutes_last_7_days(*, recent: tuple[int, ...], last_study_day: dt.date | None, today: dt.date) -> int:
    """Minutes studied in the 7 days ending on `as_of_day`."""
    if last_study_day is None:
        return 0
    gap = (as_of_day(today=today, last_study_day=last_study_day) - last_study_day).days
    return sum(recent[: max(RECENT_DAYS - gap, 0)])


def forecast_finish(*, remaining_minutes: int, recent: tuple[int, ...], last_study_day: dt.date | None, today: dt.date) -> dt.date | None:
    """The day the lessons left are done at the pace of the last 7 days; None without study in them."""
    day = as_of_day(today=today, last_study_day=last_study_day)
    if remaining_minutes <= 0:
        return day
    week_minutes = minutes_last_7_days(recent=recent, last_study_day=last_study_day, today=today)
    if week_minutes <= 0:
        return None
    # remaining / (week_minutes / 7) days, rounded up, in whole numbers.
    return day + dt.timedelta(days=-(-RECENT_DAYS * remaining_minutes // week_minutes))


def late_from(*, remaining_minutes: int, recent: tuple[int, ...], last_study_day: dt.date | None, cutoff_day: dt.date) -> dt.date | None:
    """The first day (from the last study day on) whose forecast finish is after the cut-off, or that has no
    forecast; None for a student who never studied.

    Without new logs the forecast only moves later as days pass (the recent minutes shrink while the day
    moves on), so from this day on the student stays late: "late on day d" is exactly `late_from <= d`,
    which a database can filter on. Depends on the logs, the lessons left and the cut-off, never on today.
    """
    if last_study_day is None:
        return None
    if remaining_minutes <= 0:
        return max(last_study_day, cutoff_day + ONE_DAY)
    for gap in range(RECENT_DAYS + 1):  # after 7 days without study there is no forecast at all
        day = last_study_day + dt.timedelta(days=gap)
        finish = forecast_finish(remaining_minutes=remaining_minutes, recent=recent, last_study_day=last_study_day, today=day)
        if finish is None or finish > cutoff_day:
            return day
    raise AssertionError("unreachable: no forecast 7 days after the last study day")  # pragma: no cover


def needed_per_day(*, remaining_minutes: int, today: dt.date, last: dt.date | None) -> int | None:
    """Minutes a day, from today to `last` inclusive, that finish what is left; None when no day is left."""
    if last is None:
        return None
    if remaining_minutes <= 0:
        return 0
    days = (last - today).days + 1
    return math.ceil(remaining_minutes / days) if days > 0 else None


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
