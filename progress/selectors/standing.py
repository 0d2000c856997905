"""Students' standings, from their rows: one student's for the dashboard, a chunk's for rollups and emails."""

import copy
import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from lessons.selectors import lessons_in_course_order

from ..models import Accomplishment, Enrollment, LessonProgress, StudyLog, StudyPlan, WeeklySummary
from ..standing import CUTOFF_DAYS_LEVELS, CourseWeek, Pace, Standing, level, standing_from, streak_days
from .enrollments import enrollment_today
from .reflection import accomplishments_for_enrollment


def standings_for_many(*, enrollments: list[Enrollment], now: dt.datetime | None = None) -> dict[int, Standing]:
    """Standings for a chunk of students in four queries, however many students are in it.

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


def student_standing(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Standing:
    """One student's standing (five queries, four without a plan)."""
    return standings_for_many(enrollments=[enrollment], now=now)[enrollment.pk]


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
    lessons: list
    minutes_by_day: dict[dt.date, int]
    plan: StudyPlan | None
    pace: Pace
    accomplishments: list[Accomplishment]
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

    @property
    def cutoff_level(self) -> str:
        return "secondary" if self.is_closed else level(self.days_left, CUTOFF_DAYS_LEVELS, fine="primary")


def dashboard_for_enrollment(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Dashboard:
    """Everything the student's dashboard shows, in a fixed number of queries."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    standing = student_standing(enrollment=enrollment, now=now)
    week, minutes_by_day = standing.week, standing.minutes_by_day
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
        summary_written_this_week=WeeklySummary.objects.filter(enrollment=enrollment, week_number=week.number).exists(),
    )


def dashboard_cache_key(*, enrollment: Enrollment, now: dt.datetime | None = None) -> str:
    """Names one drawing of the student's dashboard: a new one after any write it shows, a new day or a new hour.

    The version moves with every write (`services.versions.dashboard_version_bump`); the local day moves
    "today", the week and the forecasts; whole hours to the cut-off move its countdown. The cohort's
    dates and name and the student's zone and goals are in it too, as staff or the student may change them.
    """
    now = now or timezone.now()
    cohort = enrollment.cohort
    hours_to_cutoff = (cohort.cutoff_at - now) // dt.timedelta(hours=1)
    settings_seen = (
        f"{cohort.name}|{cohort.opens_on}|{cohort.cutoff_at.timestamp()}|{enrollment.time_zone}|"
        f"{enrollment.weekday_goal_hours}|{enrollment.weekend_goal_hours}"
    )
    digest = hashlib.sha256(settings_seen.encode()).hexdigest()[:16]
    today = enrollment_today(enrollment=enrollment, now=now)
    return f"{enrollment.pk}:{enrollment.dashboard_version}:{today.isoformat()}:{hours_to_cutoff}:{digest}"
