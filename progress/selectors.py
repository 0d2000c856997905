"""Reads for the progress app: each returns plain data or a queryset it has tuned."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from lessons.models import Lesson
from scholarship.timezones import local_today

from .models import Cohort, Enrollment, LessonProgress, StudyLog


def cohort_open_for_signup(*, now: dt.datetime | None = None) -> Cohort | None:
    """The cohort a new student joins: taking sign-ups and not yet closed, soonest cut-off first."""
    return (
        Cohort.objects.filter(accepts_signups=True, cutoff_at__gt=now or timezone.now())
        .order_by("cutoff_at")
        .first()
    )


def enrollment_current_for_user(*, user) -> Enrollment | None:
    """The student's enrolment in their most recent cohort, or None for staff who only run it."""
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.select_related("cohort", "user")
        .filter(user=user)
        .order_by("-cohort__opens_on", "-pk")
        .first()
    )


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


def study_log_day_total_minutes(*, enrollment: Enrollment, day: dt.date, exclude_log_id: int | None = None) -> int:
    """Study plus community minutes already logged on a day; call inside the locking transaction."""
    logs = StudyLog.objects.filter(enrollment=enrollment, day=day)
    if exclude_log_id is not None:
        logs = logs.exclude(pk=exclude_log_id)
    total = logs.aggregate(total=Coalesce(Sum(F("minutes") + F("community_minutes")), 0))["total"]
    return int(total)


def lesson_current_for_enrollment(*, enrollment: Enrollment) -> Lesson | None:
    """The first lesson, in course order, the student has not marked done."""
    return Lesson.objects.exclude(completions__enrollment=enrollment).order_by("number").first()


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


def dashboard_for_enrollment(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Dashboard:
    """Everything the student's dashboard shows, in a fixed number of queries."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    today = enrollment_today(enrollment=enrollment, now=now)
    week = course_week(cohort=cohort, day=today)
    logs = StudyLog.objects.filter(enrollment=enrollment)
    totals = logs.aggregate(
        total=Coalesce(Sum("minutes"), 0),
        community=Coalesce(Sum("community_minutes"), 0),
        week=Coalesce(Sum("minutes", filter=Q(day__range=(week.starts_on, week.ends_on))), 0),
    )
    # Bounded by the course length (about 60 rows), whatever the number of logs.
    study_days = set(logs.order_by().values_list("day", flat=True).distinct())
    lesson_counts = Lesson.objects.aggregate(
        total=Count("pk", distinct=True),
        done=Count("completions", filter=Q(completions__enrollment=enrollment), distinct=True),
    )
    return Dashboard(
        today=today,
        total_minutes=totals["total"],
        community_minutes=totals["community"],
        week=week,
        week_minutes=totals["week"],
        days_studied=len(study_days),
        streak_days=streak_days(study_days=study_days, today=today),
        lessons_done=lesson_counts["done"],
        lessons_total=lesson_counts["total"],
        cutoff_local=cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)),
        cutoff_programme=cohort.cutoff_local,
        time_left=cohort.cutoff_at - now,
    )
