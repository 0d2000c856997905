"""Where a student stands today: pure computations over data already fetched (no queries).

One `Standing` lies behind the dashboard, the rollups staff read and the emails; it is built by
`progress.selectors.standing` from a student's rows. The rules for "at risk" and the colours of the
dashboard's warnings are defined here once, with their wording.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models

from common.timezones import local_today
from lessons.models import Lesson

from . import planning
from .models import Cohort, Enrollment, StudyPlan


@dataclass(frozen=True)
class CourseWeek:
    number: int
    starts_on: dt.date
    ends_on: dt.date


def course_week(*, cohort: Cohort, day: dt.date) -> CourseWeek:
    """Week 1 starts on the opening day; a day before it belongs to week 1 too."""
    index = max((day - cohort.opens_on).days // 7, 0)
    starts_on = cohort.opens_on + dt.timedelta(days=7 * index)
    return CourseWeek(number=index + 1, starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=6))


def cutoff_day(*, enrollment: Enrollment) -> dt.date:
    """The student's local calendar day on which the cut-off instant falls."""
    return local_today(time_zone=enrollment.time_zone, now=enrollment.cohort.cutoff_at)


def streak_days(*, study_days: set[dt.date], today: dt.date) -> int:
    """Consecutive study days ending today, or ending yesterday while today is still open."""
    day = today if today in study_days else today - dt.timedelta(days=1)
    count = 0
    while day in study_days:
        count += 1
        day -= dt.timedelta(days=1)
    return count


# --- Warnings: one scale of colours for every "how close is it" on the pages -------------------------

# (danger when at or below, warning when at or below); above both is fine.
SAFE_DAYS_LEVELS = (0, 3)  # Beeminder's: red at 0 days to spare, amber up to 3
CUTOFF_DAYS_LEVELS = (6, 13)  # the cut-off in under a week, under two


def level(value: int, thresholds: tuple[int, int], *, fine: str = "success") -> str:
    """A Bootstrap colour for `value` against (danger, warning) thresholds."""
    danger, warning = thresholds
    if value <= danger:
        return "danger"
    if value <= warning:
        return "warning"
    return fine


# --- At risk -----------------------------------------------------------------------------------------


class RiskReason(models.TextChoices):
    """Why a student is at risk: stored as the code, worded by `risk_reason_words`."""

    NEVER_LOGGED = "never-logged", "no study log at all"
    IDLE = "idle", "no recent study log"
    LATE = "late", "forecast finish after the cut-off"


def risk_reason_words(reason: str, *, idle_days: int | None, silent_weeks: int) -> str:
    """A reason as staff and students read it, with its numbers."""
    if reason == RiskReason.NEVER_LOGGED:
        return f"no study log at all after week {silent_weeks}"
    if reason == RiskReason.IDLE and idle_days is not None:
        return f"no study log in the last {idle_days} days"
    return RiskReason(reason).label


def risk_reasons(
    *,
    today: dt.date,
    week_number: int,
    last_study_day: dt.date | None,
    forecast_finish: dt.date | None,
    is_finished: bool,
    cutoff: dt.date,
    idle_days: int,
    silent_weeks: int,
) -> list[RiskReason]:
    """Why a student is at risk; empty when they are not.

    The rule: no study log in the last `idle_days` days, or a forecast finish after the cut-off, or no
    log at all after the first `silent_weeks` weeks. A student who has not logged yet gets the grace
    weeks before any rule applies.
    """
    if is_finished:
        return []
    if last_study_day is None:
        return [RiskReason.NEVER_LOGGED] if week_number > silent_weeks else []
    reasons = []
    if (today - last_study_day).days >= idle_days:
        reasons.append(RiskReason.IDLE)
    if forecast_finish is None or forecast_finish > cutoff:
        reasons.append(RiskReason.LATE)
    return reasons


# --- Pace and standing -------------------------------------------------------------------------------


def remaining_minutes_by_lesson(lessons: list[Lesson]) -> list[tuple[int, int]]:
    """(lesson id, minutes still to study) in course order, from lessons carrying `.logged_minutes` and
    `.completed_on`: a lesson marked done has nothing left; otherwise its estimate less what was logged."""
    return [
        (lesson.pk, 0 if lesson.completed_on else max(lesson.estimated_minutes - lesson.logged_minutes, 0))
        for lesson in lessons
    ]


@dataclass(frozen=True)
class Pace:
    """Where the student stands against their plan and the cut-off."""

    has_plan: bool
    days_ahead: int | None
    safe_days: int
    forecast: planning.Forecast
    cutoff_day: dt.date
    planned_cumulative: dict[dt.date, int]
    plan_progress_minutes: int

    @property
    def status(self) -> str:
        return planning.plan_status_words(self.days_ahead)

    @property
    def safe_days_level(self) -> str:
        return "success" if self.forecast.is_finished else level(self.safe_days, SAFE_DAYS_LEVELS)


def pace_compute(
    *, enrollment: Enrollment, plan: StudyPlan | None, lessons: list[Lesson], minutes_by_day: dict[dt.date, int],
    today: dt.date, now: dt.datetime,
) -> Pace:
    """Pace from data the caller already fetched: the plan with its items, lessons with progress, daily minutes."""
    remaining = dict(remaining_minutes_by_lesson(lessons))
    remaining_total = sum(remaining.values())
    last_day = cutoff_day(enrollment=enrollment)
    if plan is not None:
        hours = plan.daily_hours
        items = list(plan.items.all())
        cumulative = planning.planned_cumulative(
            [planning.PlannedLesson(i.lesson_id, i.planned_minutes, i.starts_on, i.ends_on) for i in items], hours
        )
        # Progress on the plan: of each lesson's planned minutes, what is no longer left to do.
        progress = sum(max(item.planned_minutes - remaining.get(item.lesson_id, 0), 0) for item in items)
        ahead = planning.days_ahead(cumulative=cumulative, logged_minutes=progress, today=today, starts_on=plan.starts_on)
    else:
        hours = planning.DailyHours(
            weekday_minutes=int(enrollment.weekday_goal_hours * 60), weekend_minutes=int(enrollment.weekend_goal_hours * 60)
        )
        cumulative, progress, ahead = {}, 0, None
    week_ago = today - dt.timedelta(days=6)
    return Pace(
        has_plan=plan is not None,
        days_ahead=ahead,
        safe_days=planning.safe_days(remaining_minutes=remaining_total, today=today, last_day=last_day, hours=hours),
        forecast=planning.forecast(
            remaining_minutes=remaining_total,
            minutes_last_7_days=sum(m for day, m in minutes_by_day.items() if week_ago <= day <= today),
            minutes_total=sum(minutes_by_day.values()),
            first_study_day=min(minutes_by_day) if minutes_by_day else None,
            today=today,
            target_on=plan.target_on if plan else None,
            cutoff_day=last_day,
            closed=now >= enrollment.cohort.cutoff_at,
        ),
        cutoff_day=last_day,
        planned_cumulative=cumulative,
        plan_progress_minutes=progress,
    )


@dataclass(frozen=True)
class Standing:
    """A student's numbers as of today: the one computation behind the dashboard, the rollups and the emails."""

    enrollment: Enrollment
    today: dt.date
    week: CourseWeek
    minutes_by_day: dict[dt.date, int]
    community_minutes: int
    lessons: list[Lesson]
    plan: StudyPlan | None
    pace: Pace

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes_by_day.values())

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.completed_on)

    @property
    def lesson_reached(self) -> int:
        return max((lesson.number for lesson in self.lessons if lesson.completed_on), default=0)

    @property
    def finished_on(self) -> dt.date | None:
        days = [lesson.completed_on for lesson in self.lessons]
        return max(days) if days and all(days) else None

    @property
    def minutes_last_7_days(self) -> int:
        week_ago = self.today - dt.timedelta(days=6)
        return sum(m for day, m in self.minutes_by_day.items() if week_ago <= day <= self.today)

    @property
    def last_study_day(self) -> dt.date | None:
        return max(self.minutes_by_day, default=None)

    @property
    def forecast_finish(self) -> dt.date | None:
        forecast = self.pace.forecast
        return forecast.finish_on_7_day_pace or forecast.finish_on_overall_pace

    @property
    def verdict(self) -> planning.Verdict:
        return planning.verdict(
            is_finished=self.pace.forecast.is_finished, days_ahead=self.pace.days_ahead,
            forecast_finish=self.forecast_finish, cutoff_day=self.pace.cutoff_day,
        )

    @property
    def risk_reasons(self) -> list[RiskReason]:
        cohort = self.enrollment.cohort
        return risk_reasons(
            today=self.today, week_number=self.week.number, last_study_day=self.last_study_day,
            forecast_finish=self.forecast_finish, is_finished=self.pace.forecast.is_finished, cutoff=self.pace.cutoff_day,
            idle_days=cohort.at_risk_idle_days, silent_weeks=cohort.at_risk_silent_weeks,
        )

    @property
    def risk_reason_words(self) -> list[str]:
        idle = (self.today - self.last_study_day).days if self.last_study_day else None
        return [
            risk_reason_words(reason, idle_days=idle, silent_weeks=self.enrollment.cohort.at_risk_silent_weeks)
            for reason in self.risk_reasons
        ]

    @property
    def is_on_track(self) -> bool:
        """Not at risk, and on or ahead of the plan (without one, forecast to finish in time)."""
        if self.risk_reasons:
            return False
        return self.verdict.on_course


def standing_from(
    *, enrollment: Enrollment, rows: list[tuple[dt.date, int, int]], lessons: list[Lesson], plan: StudyPlan | None,
    now: dt.datetime,
) -> Standing:
    """A Standing from data already fetched: (day, minutes, community) rows, lessons with progress, the plan."""
    today = local_today(time_zone=enrollment.time_zone, now=now)
    minutes_by_day = {day: minutes for day, minutes, _ in rows if minutes}  # a day of community time only is not a study day
    return Standing(
        enrollment=enrollment,
        today=today,
        week=course_week(cohort=enrollment.cohort, day=today),
        minutes_by_day=minutes_by_day,
        community_minutes=sum(community for _, _, community in rows),
        lessons=lessons,
        plan=plan,
        pace=pace_compute(enrollment=enrollment, plan=plan, lessons=lessons, minutes_by_day=minutes_by_day, today=today, now=now),
    )
