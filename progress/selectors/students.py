"""Reads for the progress app: each returns plain data or a queryset it has tuned."""

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from lessons.models import Lesson
from scholarship.prepared import PreparedQuery
from scholarship.timezones import hours_display, local_today

from .. import planning
from ..models import (
    Accomplishment,
    Cohort,
    Enrollment,
    LessonProgress,
    ProjectSubmission,
    ScheduleItem,
    StudyLog,
    StudyPlan,
    WeeklySummary,
)


def cohort_open_for_signup(*, now: dt.datetime | None = None) -> Cohort | None:
    """The cohort a new student joins: taking sign-ups and not yet closed, soonest cut-off first."""
    return (
        Cohort.objects.filter(accepts_signups=True, cutoff_at__gt=now or timezone.now())
        .order_by("cutoff_at")
        .first()
    )


def enrollment_current_for_user(*, user) -> Enrollment | None:
    """The student's enrolment in their most recent cohort, or None for staff who only run it.

    A user signed in through progress.auth already carries it, read with the user in one query.
    """
    if not user.is_authenticated:
        return None
    if hasattr(user, "current_enrollment"):
        return user.current_enrollment
    enrollment = _current_enrollments(user_id=user.pk).first()
    if enrollment is not None:
        enrollment.user = user  # the very row the request already holds: no join, no second copy
    return enrollment


def enrollment_current_with_user(*, user_id: int) -> Enrollment | None:
    """The same enrolment as `enrollment_current_for_user`, with its user and cohort, from the user's id (one query).

    Every signed-in request asks this, so its SQL is compiled once per process (scholarship.prepared).
    """
    found = _CURRENT_ENROLLMENT_WITH_USER.run(user_id=user_id)
    return found[0] if found else None


def _current_enrollments(*, user_id: int) -> QuerySet[Enrollment]:
    """The student's enrolments, most recent cohort first: the first is the current one."""
    return Enrollment.objects.select_related("cohort").filter(user_id=user_id).order_by("-cohort__opens_on", "-pk")


_CURRENT_ENROLLMENT_WITH_USER = PreparedQuery(lambda user_id: _current_enrollments(user_id=user_id).select_related("user")[:1])


def enrollment_today(*, enrollment: Enrollment, now: dt.datetime | None = None) -> dt.date:
    return local_today(time_zone=enrollment.time_zone, now=now)


def study_log_get_for_user(*, user, log_id: int) -> StudyLog:
    """A log the user owns; anyone else's is indistinguishable from a missing one."""
    try:
        return StudyLog.objects.select_related("lesson", "enrollment__cohort").get(pk=log_id, enrollment__user=user)
    except StudyLog.DoesNotExist as exc:
        raise Http404("No such study log.") from exc


def study_logs_for_enrollment(*, enrollment: Enrollment) -> QuerySet[StudyLog]:
    return StudyLog.objects.filter(enrollment=enrollment).select_related("lesson").order_by("-day", "-lesson__number")


def study_logs_on_day(*, enrollment: Enrollment, day: dt.date) -> list[StudyLog]:
    """The student's logs on one day (one per lesson, so at most ten); call inside the locking transaction."""
    return list(StudyLog.objects.filter(enrollment=enrollment, day=day))


def lesson_current_for_enrollment(*, enrollment: Enrollment) -> Lesson | None:
    """The first lesson, in course order, the student has not marked done (the log form's suggestion)."""
    found = _FIRST_LESSON_NOT_DONE.run(enrollment_id=enrollment.pk)
    return found[0] if found else None


_FIRST_LESSON_NOT_DONE = PreparedQuery(
    lambda enrollment_id: Lesson.objects.exclude(completions__enrollment_id=enrollment_id).order_by("number")[:1]
)


def lessons_with_progress(*, enrollment: Enrollment) -> list[Lesson]:
    """The ten lessons, each with `.logged_minutes` and `.completed_on` for this student (one query)."""
    minutes = (
        StudyLog.objects.filter(enrollment=enrollment, lesson=OuterRef("pk"))
        .values("lesson")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    completed = LessonProgress.objects.filter(enrollment=enrollment, lesson=OuterRef("pk")).values("completed_on")
    return list(
        Lesson.objects.annotate(
            logged_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), 0),
            completed_on=Subquery(completed[:1]),
        ).order_by("number")
    )


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


def streak_days(*, study_days: set[dt.date], today: dt.date) -> int:
    """Consecutive study days ending today, or ending yesterday while today is still open."""
    day = today if today in study_days else today - dt.timedelta(days=1)
    count = 0
    while day in study_days:
        count += 1
        day -= dt.timedelta(days=1)
    return count


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    total_minutes: int
    community_minutes: int
    week: CourseWeek
    week_minutes: int
    days_studied: int
    streak_days: int
    lessons_done: int
    lessons_total: int
    cutoff_local: dt.datetime
    cutoff_programme: dt.datetime
    time_left: dt.timedelta
    lessons: list[Lesson]
    minutes_by_day: dict[dt.date, int]
    plan: "StudyPlan | None"
    pace: "Pace"
    accomplishments: list["Accomplishment"]
    summary_written_this_week: bool

    @property
    def is_closed(self) -> bool:
        return self.time_left <= dt.timedelta(0)

    @property
    def days_left(self) -> int:
        """Whole days until the cut-off instant (0 in its last 24 hours)."""
        return max(self.time_left.days, 0)

    @property
    def hours_left_after_days(self) -> int:
        return int(self.time_left.seconds // 3600) if not self.is_closed else 0


@dataclass(frozen=True)
class Standing:
    """A student's numbers as of today: the one computation behind the dashboard and the rollups."""

    today: dt.date
    week: CourseWeek
    minutes_by_day: dict[dt.date, int]
    community_minutes: int
    lessons: list[Lesson]
    plan: "StudyPlan | None"
    pace: "Pace"

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
    def forecast_finish(self) -> dt.date | None:
        forecast = self.pace.forecast
        return forecast.finish_on_7_day_pace or forecast.finish_on_overall_pace

    @property
    def verdict(self) -> planning.Verdict:
        return planning.verdict(
            is_finished=self.pace.forecast.is_finished, days_ahead=self.pace.days_ahead,
            forecast_finish=self.forecast_finish, cutoff_day=self.pace.cutoff_day,
        )

    def is_on_track(self, *, reasons: list[str]) -> bool:
        if reasons:
            return False
        if self.pace.forecast.is_finished:
            return True
        if self.pace.days_ahead is not None:
            return self.pace.days_ahead >= 0
        return self.forecast_finish is not None and self.forecast_finish <= self.pace.cutoff_day

    def at_risk_reasons(self, *, cohort: Cohort) -> list[str]:
        return planning.at_risk_reasons(
            today=self.today,
            week_number=self.week.number,
            last_study_day=max(self.minutes_by_day, default=None),
            forecast_finish=self.forecast_finish,
            is_finished=self.pace.forecast.is_finished,
            cutoff_day=self.pace.cutoff_day,
            idle_days=cohort.at_risk_idle_days,
            silent_weeks=cohort.at_risk_silent_weeks,
        )


def standing_from(
    *,
    enrollment: Enrollment,
    rows: list[tuple[dt.date, int, int]],
    lessons: list[Lesson],
    plan: "StudyPlan | None",
    now: dt.datetime,
) -> Standing:
    """A Standing from data already fetched: (day, minutes, community) rows, lessons with progress, the plan."""
    today = enrollment_today(enrollment=enrollment, now=now)
    minutes_by_day = {day: minutes for day, minutes, _ in rows}
    return Standing(
        today=today,
        week=course_week(cohort=enrollment.cohort, day=today),
        minutes_by_day=minutes_by_day,
        community_minutes=sum(community for _, _, community in rows),
        lessons=lessons,
        plan=plan,
        pace=pace_compute(
            enrollment=enrollment, plan=plan, lessons=lessons, minutes_by_day=minutes_by_day, today=today, now=now
        ),
    )


def student_standing(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Standing:
    """Logs per day, lessons, plan and pace for one student (five queries, four without a plan)."""
    return standings_for_many(enrollments=[enrollment], now=now)[enrollment.pk]


def _log_rows(ids: list[int]) -> QuerySet:
    return StudyLog.objects.filter(enrollment_id__in=ids).order_by().values_list("enrollment_id", "day", "lesson_id", "minutes", "community_minutes")


def _completion_rows(ids: list[int]) -> QuerySet:
    return LessonProgress.objects.filter(enrollment_id__in=ids).values_list("enrollment_id", "lesson_id", "completed_on")


# One student's rows (their dashboard, after every write) through SQL compiled once; a chunk's through the ORM.
_ONE_STUDENTS_LOG_ROWS = PreparedQuery(lambda enrollment_id: _log_rows([enrollment_id]))
_ONE_STUDENTS_COMPLETION_ROWS = PreparedQuery(lambda enrollment_id: _completion_rows([enrollment_id]))
_COURSE = PreparedQuery(lambda: Lesson.objects.order_by("number"))


def _rows_for(ids: list[int], rows: Callable[[list[int]], QuerySet], one_student: PreparedQuery) -> list[tuple]:
    return one_student.run(enrollment_id=ids[0]) if len(ids) == 1 else list(rows(ids))


def lessons_in_course_order() -> list[Lesson]:
    """The ten lessons, first to last (SQL compiled once: most student pages ask)."""
    return _COURSE.run()


def standings_for_many(*, enrollments: list[Enrollment], now: dt.datetime | None = None) -> dict[int, Standing]:
    """Standings for a chunk of students in five queries, however many students are in it."""
    now = now or timezone.now()
    ids = [enrollment.pk for enrollment in enrollments]
    # One row per student, day and lesson (a constraint), so the plain rows are summed here rather
    # than grouped twice in SQL, by day and by lesson.
    by_day: dict[int, dict[dt.date, list[int]]] = {pk: {} for pk in ids}
    logged: dict[tuple[int, int], int] = {}
    for pk, day, lesson_id, minutes, community in _rows_for(ids, _log_rows, _ONE_STUDENTS_LOG_ROWS):
        totals = by_day[pk].setdefault(day, [0, 0])
        totals[0] += minutes
        totals[1] += community
        logged[(pk, lesson_id)] = logged.get((pk, lesson_id), 0) + minutes
    rows = {pk: sorted((day, minutes, community) for day, (minutes, community) in days.items()) for pk, days in by_day.items()}
    completed = {
        (pk, lesson_id): day for pk, lesson_id, day in _rows_for(ids, _completion_rows, _ONE_STUDENTS_COMPLETION_ROWS)
    }
    plans = {plan.enrollment_id: plan for plan in StudyPlan.objects.filter(enrollment_id__in=ids).prefetch_related("items")}
    course = lessons_in_course_order()
    standings = {}
    for enrollment in enrollments:
        lessons = []
        for lesson in course:
            row = copy.copy(lesson)
            row.logged_minutes = logged.get((enrollment.pk, lesson.pk), 0)
            row.completed_on = completed.get((enrollment.pk, lesson.pk))
            lessons.append(row)
        standings[enrollment.pk] = standing_from(
            enrollment=enrollment, rows=rows[enrollment.pk], lessons=lessons, plan=plans.get(enrollment.pk), now=now
        )
    return standings


def dashboard_for_enrollment(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Dashboard:
    """Everything the student's dashboard shows, in a fixed number of queries."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    standing = student_standing(enrollment=enrollment, now=now)
    week = standing.week
    minutes_by_day = standing.minutes_by_day
    return Dashboard(
        today=standing.today,
        total_minutes=standing.total_minutes,
        community_minutes=standing.community_minutes,
        week=week,
        week_minutes=sum(m for day, m in minutes_by_day.items() if week.starts_on <= day <= week.ends_on),
        days_studied=len(minutes_by_day),
        streak_days=streak_days(study_days=set(minutes_by_day), today=standing.today),
        lessons_done=standing.lessons_done,
        lessons_total=len(standing.lessons),
        cutoff_local=cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)),
        cutoff_programme=cohort.cutoff_local,
        time_left=cohort.cutoff_at - now,
        lessons=standing.lessons,
        minutes_by_day=minutes_by_day,
        plan=standing.plan,
        pace=standing.pace,
        accomplishments=accomplishments_for_enrollment(enrollment=enrollment)[:5],
        summary_written_this_week=bool(_SUMMARY_WRITTEN.run(enrollment_id=enrollment.pk, week_number=week.number)),
    )


_SUMMARY_WRITTEN = PreparedQuery(
    lambda enrollment_id, week_number: WeeklySummary.objects.filter(enrollment_id=enrollment_id, week_number=week_number).values_list("pk")[:1]
)


def dashboard_cache_key(*, enrollment: Enrollment, now: dt.datetime | None = None) -> str:
    """Names one drawing of the student's dashboard: a new one after any write it shows, a new day or a new hour.

    The version moves with every write (`services.dashboard_version_bump`); the local day moves
    "today", the week and the forecasts; whole hours to the cut-off move its countdown. The cohort's
    dates and name and the student's zone and goals are in it too, as staff or the student may change them.
    """
    now = now or timezone.now()
    cohort = enrollment.cohort
    hours_to_cutoff = (cohort.cutoff_at - now) // dt.timedelta(hours=1)
    settings_seen = f"{cohort.name}|{cohort.opens_on}|{cohort.cutoff_at.timestamp()}|{enrollment.time_zone}|{enrollment.weekday_goal_hours}|{enrollment.weekend_goal_hours}"
    digest = hashlib.sha256(settings_seen.encode()).hexdigest()[:16]
    today = enrollment_today(enrollment=enrollment, now=now)
    return f"dashboard:{enrollment.pk}:{enrollment.dashboard_version}:{today.isoformat()}:{hours_to_cutoff}:{digest}"


def enrollment_cutoff_day(*, enrollment: Enrollment) -> dt.date:
    """The student's local calendar day on which the cut-off instant falls."""
    return local_today(time_zone=enrollment.time_zone, now=enrollment.cohort.cutoff_at)


def remaining_minutes_by_lesson(lessons: list[Lesson]) -> list[tuple[int, int]]:
    """(lesson id, minutes still to study) in course order, from `lessons_with_progress` rows.

    A lesson marked done has nothing left; otherwise its estimate less what was logged on it.
    """
    return [
        (lesson.pk, 0 if lesson.completed_on else max(lesson.estimated_minutes - lesson.logged_minutes, 0))
        for lesson in lessons
    ]


def lesson_minutes_remaining(*, enrollment: Enrollment) -> list[tuple[int, int]]:
    return remaining_minutes_by_lesson(lessons_with_progress(enrollment=enrollment))


def plan_for_enrollment(*, enrollment: Enrollment) -> StudyPlan | None:
    return StudyPlan.objects.filter(enrollment=enrollment).prefetch_related("items__lesson").first()


def schedule_item_get_for_user(*, user, item_id: int) -> ScheduleItem:
    try:
        return ScheduleItem.objects.select_related("plan__enrollment__cohort", "lesson").get(pk=item_id, plan__enrollment__user=user)
    except ScheduleItem.DoesNotExist as exc:
        raise Http404("No such plan entry.") from exc


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
        """Beeminder's colours: red at 0 or less, amber up to 3, green beyond."""
        if self.forecast.is_finished:
            return "success"
        if self.safe_days <= 0:
            return "danger"
        if self.safe_days <= 3:
            return "warning"
        return "success"


def pace_compute(
    *,
    enrollment: Enrollment,
    plan: StudyPlan | None,
    lessons: list[Lesson],
    minutes_by_day: dict[dt.date, int],
    today: dt.date,
    now: dt.datetime,
) -> Pace:
    """Pace from data the caller already fetched (no queries): plan, lessons with progress, daily minutes."""
    remaining = dict(remaining_minutes_by_lesson(lessons))
    remaining_total = sum(remaining.values())
    cutoff_day = enrollment_cutoff_day(enrollment=enrollment)
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
        safe_days=planning.safe_days(remaining_minutes=remaining_total, today=today, last_day=cutoff_day, hours=hours),
        forecast=planning.forecast(
            remaining_minutes=remaining_total,
            minutes_last_7_days=sum(m for day, m in minutes_by_day.items() if week_ago <= day <= today),
            minutes_total=sum(minutes_by_day.values()),
            first_study_day=min(minutes_by_day) if minutes_by_day else None,
            today=today,
            target_on=plan.target_on if plan else None,
            cutoff_day=cutoff_day,
            closed=now >= enrollment.cohort.cutoff_at,
        ),
        cutoff_day=cutoff_day,
        planned_cumulative=cumulative,
        plan_progress_minutes=progress,
    )


@dataclass(frozen=True)
class SchedulePage:
    plan: StudyPlan | None
    items: list[ScheduleItem]
    today: dt.date
    cutoff_day: dt.date
    ends_on: dt.date | None
    needed_for_target: planning.NeededHours | None
    needed_for_cutoff: planning.NeededHours | None
    defaults: dict

    @property
    def fits_target(self) -> bool:
        return self.plan is not None and self.ends_on is not None and self.ends_on <= self.plan.target_on

    @property
    def fits_cutoff(self) -> bool:
        return self.ends_on is not None and self.ends_on <= self.cutoff_day


def schedule_page(*, enrollment: Enrollment, now: dt.datetime | None = None) -> SchedulePage:
    """The plan with its warnings, and the choices a first plan starts from (three queries)."""
    now = now or timezone.now()
    today = enrollment_today(enrollment=enrollment, now=now)
    cutoff_day = enrollment_cutoff_day(enrollment=enrollment)
    plan = plan_for_enrollment(enrollment=enrollment)
    starts_on = max(today, enrollment.cohort.opens_on)
    defaults = {
        "starts_on": starts_on,
        "target_on": max(cutoff_day - dt.timedelta(days=7), min(starts_on, cutoff_day)),
        "weekday_hours": enrollment.weekday_goal_hours,
        "weekend_hours": enrollment.weekend_goal_hours,
        "days_off": [],
    }
    if plan is None:
        return SchedulePage(None, [], today, cutoff_day, None, None, None, defaults)
    items = list(plan.items.all())
    ends_on = planning.plan_end(
        [planning.PlannedLesson(i.lesson_id, i.planned_minutes, i.starts_on, i.ends_on) for i in items]
    )
    remaining_total = sum(minutes for _, minutes in lesson_minutes_remaining(enrollment=enrollment))
    first = max(today, plan.starts_on)
    hours = plan.daily_hours
    return SchedulePage(
        plan=plan,
        items=items,
        today=today,
        cutoff_day=cutoff_day,
        ends_on=ends_on,
        needed_for_target=planning.hours_needed_to_fit(total_minutes=remaining_total, first=first, last=plan.target_on, hours=hours),
        needed_for_cutoff=planning.hours_needed_to_fit(total_minutes=remaining_total, first=first, last=cutoff_day, hours=hours),
        defaults={
            "starts_on": plan.starts_on,
            "target_on": plan.target_on,
            "weekday_hours": plan.weekday_hours,
            "weekend_hours": plan.weekend_hours,
            "days_off": sorted(plan.days_off_dates),
        },
    )


def plan_get_by_calendar_token(*, token: str) -> StudyPlan:
    try:
        return (
            StudyPlan.objects.select_related("enrollment__cohort", "enrollment__user")
            .prefetch_related("items__lesson")
            .get(calendar_token=token)
        )
    except StudyPlan.DoesNotExist as exc:
        raise Http404("No such calendar.") from exc


def summary_current_week(*, enrollment: Enrollment, now: dt.datetime | None = None) -> int:
    """The latest course week a student can write about: this week, or the last one once the course is over."""
    today = enrollment_today(enrollment=enrollment, now=now)
    last_week = course_week(cohort=enrollment.cohort, day=enrollment_cutoff_day(enrollment=enrollment)).number
    return min(course_week(cohort=enrollment.cohort, day=today).number, last_week)


@dataclass(frozen=True)
class SummaryWeek:
    week: CourseWeek
    summary: WeeklySummary | None
    is_current: bool


def weekly_summaries_overview(*, enrollment: Enrollment, now: dt.datetime | None = None) -> list[SummaryWeek]:
    """Every course week so far, newest first, with the student's summary where written (one query)."""
    current = summary_current_week(enrollment=enrollment, now=now)
    written = {summary.week_number: summary for summary in WeeklySummary.objects.filter(enrollment=enrollment)}
    opens = enrollment.cohort.opens_on
    return [
        SummaryWeek(
            week=course_week(cohort=enrollment.cohort, day=opens + dt.timedelta(days=7 * (number - 1))),
            summary=written.get(number),
            is_current=number == current,
        )
        for number in range(current, 0, -1)
    ]


def weekly_summaries_for_enrollment(*, enrollment: Enrollment) -> list[WeeklySummary]:
    return list(WeeklySummary.objects.filter(enrollment=enrollment).order_by("week_number"))


def weekly_summary_for_week(*, enrollment: Enrollment, week_number: int) -> WeeklySummary | None:
    return WeeklySummary.objects.filter(enrollment=enrollment, week_number=week_number).first()


def weekly_summary_draft(*, enrollment: Enrollment, week_number: int) -> str:
    """A markdown starting point from the week's logs, for the student to edit (two queries)."""
    week = course_week(cohort=enrollment.cohort, day=enrollment.cohort.opens_on + dt.timedelta(days=7 * (week_number - 1)))
    logs = list(
        StudyLog.objects.filter(enrollment=enrollment, day__range=(week.starts_on, week.ends_on))
        .select_related("lesson")
        .order_by("day", "lesson__number")
    )
    completed = list(
        LessonProgress.objects.filter(enrollment=enrollment, completed_on__range=(week.starts_on, week.ends_on))
        .select_related("lesson")
        .order_by("completed_on")
    )
    total = sum(log.minutes for log in logs)
    community = sum(log.community_minutes for log in logs)
    days = sorted({log.day for log in logs})
    lines = [f"## Week {week.number} ({week.starts_on:%-d %b} to {week.ends_on:%-d %b})", ""]
    if logs:
        lines.append(
            f"I studied **{hours_display(total)}** on {len(days)} day{'s' if len(days) != 1 else ''}"
            + (f", plus {hours_display(community)} of community time." if community else ".")
        )
    else:
        lines.append("I logged no study time this week.")
    per_lesson: dict[Lesson, int] = {}
    for log in logs:
        per_lesson[log.lesson] = per_lesson.get(log.lesson, 0) + log.minutes
    if per_lesson:
        lines += ["", "### Hours per lesson", ""]
        lines += [
            f"- {lesson}: {hours_display(minutes)}"
            for lesson, minutes in sorted(per_lesson.items(), key=lambda pair: pair[0].number)
        ]
    if completed:
        lines += ["", "### Lessons completed", ""]
        lines += [f"- {done.lesson} ({done.completed_on:%a %-d %b})" for done in completed]
    notes_by_day: dict[dt.date, str] = {}
    for log in logs:
        first_line = next((line.strip() for line in log.notes.splitlines() if line.strip()), "")
        if first_line and log.day not in notes_by_day:
            notes_by_day[log.day] = first_line
    if notes_by_day:
        lines += ["", "### Day by day", ""]
        lines += [f"- {day:%a %-d %b}: {note}" for day, note in notes_by_day.items()]
    lines += ["", "### What I learnt", "", "", "### What was hard", "", "", "### Next week", "", ""]
    return "\n".join(lines)


def shared_summaries_for_cohort(*, cohort: Cohort) -> QuerySet[WeeklySummary]:
    return (
        WeeklySummary.objects.filter(enrollment__cohort=cohort, is_shared=True)
        .select_related("enrollment__user")
        .order_by("-updated_at", "-pk")
    )


def accomplishments_for_enrollment(*, enrollment: Enrollment) -> list[Accomplishment]:
    return _ACCOMPLISHMENTS.run(enrollment_id=enrollment.pk)


_ACCOMPLISHMENTS = PreparedQuery(
    lambda enrollment_id: Accomplishment.objects.filter(enrollment_id=enrollment_id).order_by("-achieved_on", "-pk")
)


def accomplishment_get_for_user(*, user, accomplishment_id: int) -> Accomplishment:
    try:
        return Accomplishment.objects.get(pk=accomplishment_id, enrollment__user=user)
    except Accomplishment.DoesNotExist as exc:
        raise Http404("No such accomplishment.") from exc


def project_submission_for_enrollment(*, enrollment: Enrollment) -> ProjectSubmission | None:
    return ProjectSubmission.objects.filter(enrollment=enrollment).first()
