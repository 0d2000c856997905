"""Where a student stands: the numbers kept on write, and the one verdict worked out from them on read.

Two halves, both pure (no queries):
- `StoredNumbers` are what a student's rows say, whatever day it is: totals, last study day, the minutes of
  the last study days, lessons left, how far along the plan, the day they would become late. The rollup
  (`progress.models.StudentRollup`) keeps exactly these, written by the services in the write's transaction.
- `Status` is what those numbers mean on the reader's local today: idle days, minutes of the last 7 days,
  the forecast, days ahead of the plan, the reasons for being at risk and the one `Verdict`. It is never
  stored; every page, email and chat reply calls `status_on`, and `review.selectors.verdicts` writes the
  same rule once more as a database expression for filtering 10,000 students (a test holds the two equal).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models

from common.timezones import local_today
from lessons.models import Lesson

from . import planning
from .course_days import CourseWeek, course_week, cutoff_day_in, streak_days
from .models import Cohort, Enrollment, StudyPlan


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


# --- The verdict and its reasons, with their words -----------------------------------------------------


class Verdict(models.TextChoices):
    """The one answer to "will they make the cut-off?", in the order staff triage it."""

    AT_RISK = "at-risk", "At risk"
    BEHIND = "behind", "Behind plan, finishing in time"
    ON_TRACK = "on-track", "On track"
    FINISHED = "finished", "Finished"


# Bootstrap colours of each verdict: never green for a student at risk.
VERDICT_LEVELS = {Verdict.AT_RISK: "danger", Verdict.BEHIND: "warning", Verdict.ON_TRACK: "success", Verdict.FINISHED: "success"}


class RiskReason(models.TextChoices):
    """Why a student is at risk: a code, worded by `Status.reason_words`."""

    NEVER_LOGGED = "never-logged", "no study log at all"
    IDLE = "idle", "no recent study log"
    LATE = "late", "forecast finish after the cut-off"


def reason_words(reason: str, *, idle_days: int | None, silent_weeks: int, forecast: dt.date | None) -> str:
    """A reason as staff and students read it, with its numbers."""
    if reason == RiskReason.NEVER_LOGGED:
        return f"no study log at all after week {silent_weeks}"
    if reason == RiskReason.IDLE and idle_days is not None:
        return f"no study log in the last {idle_days} day{'s' if idle_days != 1 else ''}"
    if reason == RiskReason.LATE and forecast is None:
        return "no study in the last 7 days, so no finish in sight"
    if reason == RiskReason.LATE:
        return f"forecast finish {forecast.day} {forecast:%b}, after the cut-off"
    return RiskReason(reason).label


# --- What is kept on write -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredNumbers:
    """A student's numbers that no passing day changes: what the rollup stores (field for field)."""

    total_minutes: int = 0
    community_minutes: int = 0
    days_studied: int = 0
    first_study_day: dt.date | None = None
    last_study_day: dt.date | None = None
    recent_minutes: tuple[int, ...] = ()
    lessons_done: int = 0
    lesson_reached: int = 0
    finished_on: dt.date | None = None
    remaining_minutes: int = 0
    has_plan: bool = False
    plan_starts_on: dt.date | None = None
    plan_ends_on: dt.date | None = None
    plan_reached_on: dt.date | None = None
    plan_done: bool = False
    plan_progress_minutes: int = 0
    project_submitted: bool = False
    late_from: dt.date | None = None

    @property
    def plan_position(self) -> planning.PlanPosition | None:
        if not self.has_plan:
            return None
        return planning.PlanPosition(
            starts_on=self.plan_starts_on, ends_on=self.plan_ends_on, reached_on=self.plan_reached_on, done=self.plan_done
        )


STORED_FIELDS = tuple(StoredNumbers.__dataclass_fields__)


def remaining_minutes_by_lesson(lessons: list[Lesson]) -> list[tuple[int, int]]:
    """(lesson id, minutes still to study) in course order, from lessons carrying `.logged_minutes` and
    `.completed_on`: a lesson marked done has nothing left; otherwise its estimate less what was logged."""
    return [
        (lesson.pk, 0 if lesson.completed_on else max(lesson.estimated_minutes - lesson.logged_minutes, 0))
        for lesson in lessons
    ]


def plan_cumulative(plan: StudyPlan) -> dict[dt.date, int]:
    """The plan's running total of planned minutes by day (the plan's items prefetched)."""
    items = [planning.PlannedLesson(i.lesson_id, i.planned_minutes, i.starts_on, i.ends_on) for i in plan.items.all()]
    return planning.planned_cumulative(items, plan.daily_hours)


def plan_progress(plan: StudyPlan, remaining: dict[int, int]) -> int:
    """Progress on the plan: of each lesson's planned minutes, what is no longer left to do."""
    return sum(max(item.planned_minutes - remaining.get(item.lesson_id, 0), 0) for item in plan.items.all())


def stored_numbers(
    *, minutes_by_day: dict[dt.date, int], community_minutes: int, lessons: list[Lesson], plan: StudyPlan | None,
    cutoff_day: dt.date, project_submitted: bool,
) -> StoredNumbers:
    """The kept numbers from a student's rows: study minutes by day (study days only), lessons with progress, the plan."""
    remaining = dict(remaining_minutes_by_lesson(lessons))
    remaining_total = sum(remaining.values())
    last = max(minutes_by_day, default=None)
    recent = planning.recent_minutes(minutes_by_day=minutes_by_day, last_study_day=last)
    done_days = [lesson.completed_on for lesson in lessons]
    plan_fields = {}
    if plan is not None:
        progress = plan_progress(plan, remaining)
        position = planning.plan_position(cumulative=plan_cumulative(plan), logged_minutes=progress, starts_on=plan.starts_on)
        plan_fields = {
            "has_plan": True, "plan_starts_on": position.starts_on, "plan_ends_on": position.ends_on,
            "plan_reached_on": position.reached_on, "plan_done": position.done, "plan_progress_minutes": progress,
        }
    return StoredNumbers(
        total_minutes=sum(minutes_by_day.values()),
        community_minutes=community_minutes,
        days_studied=len(minutes_by_day),
        first_study_day=min(minutes_by_day, default=None),
        last_study_day=last,
        recent_minutes=recent,
        lessons_done=sum(1 for day in done_days if day),
        lesson_reached=max((lesson.number for lesson in lessons if lesson.completed_on), default=0),
        finished_on=max(done_days) if done_days and all(done_days) else None,
        remaining_minutes=remaining_total,
        project_submitted=project_submitted,
        late_from=planning.late_from(remaining_minutes=remaining_total, recent=recent, last_study_day=last, cutoff_day=cutoff_day),
        **plan_fields,
    )


# --- What it means today -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What the verdict reads of the cohort, and the student's cut-off day (in their zone)."""

    opens_on: dt.date
    idle_days: int
    silent_weeks: int
    cutoff_day: dt.date

    @classmethod
    def of(cls, *, cohort: Cohort, time_zone: str) -> "Rules":
        return cls(
            opens_on=cohort.opens_on, idle_days=cohort.at_risk_idle_days, silent_weeks=cohort.at_risk_silent_weeks,
            cutoff_day=cutoff_day_in(time_zone=time_zone, cohort=cohort),
        )

    @property
    def silent_from(self) -> dt.date:
        """The first day of week `silent_weeks + 1`: from it, never having logged puts a student at risk."""
        return self.opens_on + dt.timedelta(days=7 * self.silent_weeks)


@dataclass(frozen=True)
class Status:
    """A student's stored numbers read on one of their days: the one verdict, its reasons and the numbers behind it."""

    numbers: StoredNumbers
    rules: Rules
    today: dt.date
    verdict: Verdict
    reasons: tuple[RiskReason, ...]

    @property
    def is_finished(self) -> bool:
        return self.verdict == Verdict.FINISHED

    @property
    def at_risk(self) -> bool:
        return self.verdict == Verdict.AT_RISK

    @property
    def idle_days(self) -> int | None:
        """Whole days since the last study day (0 when studied today); None for a student who never studied."""
        last = self.numbers.last_study_day
        return max((self.today - last).days, 0) if last else None

    @property
    def minutes_last_7_days(self) -> int:
        n = self.numbers
        return planning.minutes_last_7_days(recent=n.recent_minutes, last_study_day=n.last_study_day, today=self.today)

    @property
    def pace_7_days(self) -> int:
        """Minutes a day over the last 7 days, rounded."""
        return round(self.minutes_last_7_days / planning.RECENT_DAYS)

    @property
    def forecast(self) -> dt.date | None:
        """The finish at the pace of the last 7 days (None without study in them); the finish day when finished."""
        n = self.numbers
        if n.finished_on:
            return n.finished_on
        return planning.forecast_finish(remaining_minutes=n.remaining_minutes, recent=n.recent_minutes, last_study_day=n.last_study_day, today=self.today)

    @property
    def forecast_misses_cutoff(self) -> bool:
        return not self.is_finished and (self.forecast is None or self.forecast > self.rules.cutoff_day)

    @property
    def days_ahead(self) -> int | None:
        position = self.numbers.plan_position
        return planning.days_ahead(position=position, today=self.today) if position else None

    @property
    def plan_words(self) -> str:
        return planning.plan_status_words(self.days_ahead)

    @property
    def plan_words_short(self) -> str:
        return planning.plan_status_words(self.days_ahead, short=True)

    @property
    def level(self) -> str:
        return VERDICT_LEVELS[self.verdict]

    @property
    def reason_words(self) -> list[str]:
        return [
            reason_words(reason, idle_days=self.idle_days, silent_weeks=self.rules.silent_weeks, forecast=self.forecast)
            for reason in self.reasons
        ]

    @property
    def headline(self) -> str:
        """The verdict as the student reads it, first on the dashboard and in every email and chat reply."""
        n, ahead = self.numbers, self.days_ahead
        if self.verdict == Verdict.FINISHED:
            return f"You finished every lesson on {n.finished_on.day} {n.finished_on:%B}."
        if self.today > self.rules.cutoff_day:
            return "The course has closed and not every lesson was marked done."
        if self.verdict == Verdict.AT_RISK:
            return "You are at risk of missing the cut-off: " + "; ".join(self.reason_words) + "."
        if self.verdict == Verdict.BEHIND:
            days = f"{-ahead} day{'s' if ahead != -1 else ''}"
            if n.last_study_day is None:
                return f"You are behind your plan by {days}; your first study log starts your forecast."
            return f"You are behind your plan by {days}, but at your recent pace you still finish before the cut-off."
        if ahead is not None and ahead > 0:
            return f"You are on track, {ahead} day{'s' if ahead != 1 else ''} ahead of your plan."
        if ahead is not None:
            return "You are on track with your plan."
        if n.last_study_day is None:
            return "You are on track: your first study log starts your forecast."
        return "You are on track: at your recent pace you finish before the cut-off."


def status_on(*, numbers: StoredNumbers, rules: Rules, today: dt.date) -> Status:
    """The one verdict. Finished: every lesson marked done. At risk: never logged after the grace weeks, idle
    for `idle_days`, or late (`late_from` reached). Behind: on a plan, with days behind it. Else on track."""
    reasons: list[RiskReason] = []
    last = numbers.last_study_day
    if numbers.finished_on:
        verdict = Verdict.FINISHED
    else:
        if last is None:
            if today >= rules.silent_from:
                reasons.append(RiskReason.NEVER_LOGGED)
        else:
            if (today - last).days >= rules.idle_days:
                reasons.append(RiskReason.IDLE)
            if numbers.late_from is not None and numbers.late_from <= planning.as_of_day(today=today, last_study_day=last):
                reasons.append(RiskReason.LATE)
        position = numbers.plan_position
        if reasons:
            verdict = Verdict.AT_RISK
        elif position is not None and planning.days_ahead(position=position, today=today) < 0:
            verdict = Verdict.BEHIND
        else:
            verdict = Verdict.ON_TRACK
    return Status(numbers=numbers, rules=rules, today=today, verdict=verdict, reasons=tuple(reasons))


# --- The dashboard's fuller picture ---------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A student's numbers as of today from all their rows: the dashboard, the emails and chat read this.

    `numbers` is what the rollup would store; `status` the verdict on today; the rest is what only a page
    rendered from the rows can show (the days, the lessons, the plan's curve, safe days).
    """

    enrollment: Enrollment
    today: dt.date
    week: CourseWeek
    minutes_by_day: dict[dt.date, int]
    lessons: list[Lesson]
    plan: StudyPlan | None
    planned_cumulative: dict[dt.date, int]
    numbers: StoredNumbers
    status: Status
    safe_days: int

    @property
    def cutoff_day(self) -> dt.date:
        return self.status.rules.cutoff_day

    @property
    def streak_days(self) -> int:
        return streak_days(study_days=set(self.minutes_by_day), today=self.today)

    @property
    def safe_days_level(self) -> str:
        return level(self.safe_days, SAFE_DAYS_LEVELS)

    @property
    def needed_per_day_by_cutoff(self) -> int | None:
        return planning.needed_per_day(remaining_minutes=self.numbers.remaining_minutes, today=self.today, last=self.cutoff_day)

    @property
    def needed_per_day_by_target(self) -> int | None:
        target = self.plan.target_on if self.plan else None
        return planning.needed_per_day(remaining_minutes=self.numbers.remaining_minutes, today=self.today, last=target)


def standing_from(
    *, enrollment: Enrollment, rows: list[tuple[dt.date, int, int]], lessons: list[Lesson], plan: StudyPlan | None,
    project_submitted: bool, now: dt.datetime,
) -> Standing:
    """A Standing from data already fetched: (day, minutes, community) rows, lessons with progress, the plan."""
    today = local_today(time_zone=enrollment.time_zone, now=now)
    rules = Rules.of(cohort=enrollment.cohort, time_zone=enrollment.time_zone)
    minutes_by_day = {day: minutes for day, minutes, _ in rows if minutes}  # a day of community time only is not a study day
    numbers = stored_numbers(
        minutes_by_day=minutes_by_day, community_minutes=sum(community for _, _, community in rows), lessons=lessons,
        plan=plan, cutoff_day=rules.cutoff_day, project_submitted=project_submitted,
    )
    if plan is not None:
        hours = plan.daily_hours
        cumulative = plan_cumulative(plan)
    else:
        hours = planning.DailyHours(
            weekday_minutes=int(enrollment.weekday_goal_hours * 60), weekend_minutes=int(enrollment.weekend_goal_hours * 60)
        )
        cumulative = {}
    return Standing(
        enrollment=enrollment,
        today=today,
        week=course_week(cohort=enrollment.cohort, day=today),
        minutes_by_day=minutes_by_day,
        lessons=lessons,
        plan=plan,
        planned_cumulative=cumulative,
        numbers=numbers,
        status=status_on(numbers=numbers, rules=rules, today=today),
        safe_days=planning.safe_days(remaining_minutes=numbers.remaining_minutes, today=today, last_day=rules.cutoff_day, hours=hours),
    )
