"""Students' numbers from their rows: one student's for the dashboard, a chunk's for rollups and emails.

`standings_for_many` reads everything a Standing needs for a chunk of students in a fixed number of queries;
`rollup_numbers` reads the stored numbers back from a student's rollup (no query when it came with the row).
"""

import copy
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from lessons.selectors import lessons_in_course_order

from ..models import Accomplishment, Enrollment, LessonProgress, ProjectSubmission, StudentRollup, StudyLog, StudyPlan, WeeklySummary
from ..standing import (
    CUTOFF_DAYS_LEVELS,
    STORED_FIELDS,
    CourseWeek,
    Rules,
    Standing,
    Status,
    StoredNumbers,
    level,
    standing_from,
    status_on,
)
from .enrollments import enrollment_today
from .reflection import accomplishments_for_enrollment


def standings_for_many(*, enrollments: list[Enrollment], now: dt.datetime | None = None) -> dict[int, Standing]:
    """Standings for a chunk of students in five queries, however many students are in it (enrollments come
    with their cohort).

    One row per student, day and lesson (a constraint), so the plain rows are summed here rather than
    grouped twice in SQL, by day and by lesson.
    """
    now = now or timezone.now()
    ids = [enrollment.pk for enrollment in enrollments]
    by_day: dict[int, dict[dt.date, list[int]]] = {pk: {} for pk in ids}
    logged: dict[tuple[int, int], int] = {}
    log_rows = StudyLog.objects.filter(enrollment_id__in=ids).order_by().values_list(
        "enrollment_id", "day", "lesson_id", "minutes", "community_minutes"
    )
    for pk, day, lesson_id, minutes, community in log_rows:
        totals = by_day[pk].setdefault(day, [0, 0])
        totals[0] += minutes
        totals[1] += community
        logged[(pk, lesson_id)] = logged.get((pk, lesson_id), 0) + minutes
    rows = {pk: sorted((day, minutes, community) for day, (minutes, community) in days.items()) for pk, days in by_day.items()}
    completed = {
        (pk, lesson_id): day
        for pk, lesson_id, day in LessonProgress.objects.filter(enrollment_id__in=ids).order_by().values_list("enrollment_id", "lesson_id", "completed_on")
    }
    plans = {plan.enrollment_id: plan for plan in StudyPlan.objects.filter(enrollment_id__in=ids).order_by().prefetch_related("items")}
    with_project = set(ProjectSubmission.objects.filter(enrollment_id__in=ids).order_by().values_list("enrollment_id", flat=True))
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
            enrollment=enrollment, rows=rows[enrollment.pk], lessons=lessons, plan=plans.get(enrollment.pk),
            project_submitted=enrollment.pk in with_project, now=now,
        )
    return standings


def student_standing(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Standing:
    """One student's standing (six queries, five without a plan)."""
    return standings_for_many(enrollments=[enrollment], now=now)[enrollment.pk]


def rollup_numbers(rollup: StudentRollup) -> StoredNumbers:
    """The stored numbers of a rollup row, as the pure functions take them."""
    values = {name: getattr(rollup, name) for name in STORED_FIELDS}
    values["recent_minutes"] = tuple(values["recent_minutes"] or ())
    return StoredNumbers(**values)


def rollup_status(*, rollup: StudentRollup, enrollment: Enrollment, now: dt.datetime | None = None) -> Status:
    """A student's verdict on their today, from their rollup (no query: the enrollment comes with its cohort)."""
    return status_on(
        numbers=rollup_numbers(rollup), rules=Rules.of(cohort=enrollment.cohort, time_zone=enrollment.time_zone),
        today=enrollment_today(enrollment=enrollment, now=now),
    )


def status_for_enrollment(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Status:
    """A student's verdict from their stored numbers (one query); computed from their rows in memory, for this
    request only, when they have no rollup yet (never written on a read)."""
    rollup = StudentRollup.objects.filter(enrollment=enrollment).first()
    if rollup is None:
        return student_standing(enrollment=enrollment, now=now).status
    return rollup_status(rollup=rollup, enrollment=enrollment, now=now)


@dataclass(frozen=True)
class Dashboard:
    """Everything the student's dashboard shows: the standing, with what only the dashboard adds."""

    standing: Standing
    cutoff_local: dt.datetime
    cutoff_programme: dt.datetime
    time_left: dt.timedelta
    accomplishments: list[Accomplishment]
    summary_written_this_week: bool

    @property
    def status(self) -> Status:
        return self.standing.status

    @property
    def numbers(self) -> StoredNumbers:
        return self.standing.numbers

    @property
    def today(self) -> dt.date:
        return self.standing.today

    @property
    def week(self) -> CourseWeek:
        return self.standing.week

    @property
    def week_minutes(self) -> int:
        week = self.standing.week
        return sum(m for day, m in self.standing.minutes_by_day.items() if week.starts_on <= day <= week.ends_on)

    @property
    def lessons_total(self) -> int:
        return len(self.standing.lessons)

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

    @property
    def cutoff_level(self) -> str:
        return "secondary" if self.is_closed else level(self.days_left, CUTOFF_DAYS_LEVELS, fine="primary")


def dashboard_for_enrollment(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Dashboard:
    """Everything the student's dashboard shows, in a fixed number of queries."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    standing = student_standing(enrollment=enrollment, now=now)
    return Dashboard(
        standing=standing,
        cutoff_local=cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)),
        cutoff_programme=cohort.cutoff_local,
        time_left=cohort.cutoff_at - now,
        accomplishments=accomplishments_for_enrollment(enrollment=enrollment)[:5],
        summary_written_this_week=WeeklySummary.objects.filter(enrollment=enrollment, week_number=standing.week.number).exists(),
    )
