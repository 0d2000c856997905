"""Reads for staff: a cohort's headline numbers, funnel, charts and student table, all from rollups.

Every function here runs a fixed number of queries whatever the cohort's size; per-student numbers come
from StudentRollup, never from aggregating study logs per student. Callers bring the rollups up to date
first (review.services.rollups.rollups_up_to_date).
"""

import datetime as dt
from dataclasses import astuple, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from common.timezones import local_today
from lessons.selectors import lesson_count, lessons_in_course_order
from progress.models import Cohort, Enrollment, LessonProgress, ScheduleItem, StudyLog

from ..columns import SORTS
from ..headline import Headline, HeadlineChange
from ..models import CohortSnapshot, StudentRollup

PAGE_SIZE = 50
NO_GROUP = -1


def cohort_today(*, cohort: Cohort, now: dt.datetime | None = None) -> dt.date:
    return local_today(time_zone=cohort.time_zone, now=now)


def cohort_headline(*, cohort: Cohort, now: dt.datetime | None = None) -> Headline:
    """The six headline numbers in one aggregate over the rollups."""
    week_ago = cohort_today(cohort=cohort, now=now) - dt.timedelta(days=6)
    lessons_total = lesson_count()
    numbers = StudentRollup.objects.filter(cohort=cohort).aggregate(
        enrolled=Count("pk"),
        active_7_days=Count("pk", filter=Q(last_study_day__gte=week_ago)),
        on_track=Count("pk", filter=Q(on_track=True)),
        at_risk=Count("pk", filter=Q(at_risk=True)),
        finished=Count("pk", filter=Q(lessons_done__gte=lessons_total)),
        project_submitted=Count("pk", filter=Q(project_submitted=True)),
    )
    return Headline(**numbers)


def cohort_headline_with_change(*, cohort: Cohort, now: dt.datetime | None = None) -> HeadlineChange:
    week_ago = cohort_today(cohort=cohort, now=now) - dt.timedelta(days=7)
    return HeadlineChange(
        now=cohort_headline(cohort=cohort, now=now),
        week_ago=CohortSnapshot.objects.filter(cohort=cohort, day=week_ago).first(),
    )


def _median_offset(counts: dict[int, int]) -> int | None:
    """The median of values given as {value: how many}."""
    total = sum(counts.values())
    if not total:
        return None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen * 2 >= total:
            return value
    return None  # pragma: no cover


@dataclass(frozen=True)
class FunnelStep:
    lesson_number: int
    lesson_title: str
    completed: int
    median_completed_on: dt.date | None
    median_planned_on: dt.date | None

    @property
    def days_late(self) -> int | None:
        if self.median_completed_on and self.median_planned_on:
            return (self.median_completed_on - self.median_planned_on).days
        return None


def cohort_funnel(*, cohort: Cohort) -> list[FunnelStep]:
    """Completions per lesson, with the median day done against the median planned day (three queries).

    Grouping by (lesson, day) leaves at most ten lessons times the course's
    days of rows, so the medians are exact without fetching every completion.
    """
    lessons = lessons_in_course_order()
    done: dict[int, dict[int, int]] = {}
    for lesson_id, day, count in (
        LessonProgress.objects.filter(enrollment__cohort=cohort)
        .values("lesson_id", "completed_on")
        .annotate(n=Count("pk"))
        .values_list("lesson_id", "completed_on", "n")
    ):
        done.setdefault(lesson_id, {})[(day - cohort.opens_on).days] = count
    planned: dict[int, dict[int, int]] = {}
    for lesson_id, day, count in (
        ScheduleItem.objects.filter(plan__enrollment__cohort=cohort, ends_on__isnull=False, planned_minutes__gt=0)
        .values("lesson_id", "ends_on")
        .annotate(n=Count("pk"))
        .values_list("lesson_id", "ends_on", "n")
    ):
        planned.setdefault(lesson_id, {})[(day - cohort.opens_on).days] = count

    def as_day(offset: int | None) -> dt.date | None:
        return cohort.opens_on + dt.timedelta(days=offset) if offset is not None else None

    return [
        FunnelStep(
            lesson_number=lesson.number,
            lesson_title=lesson.title,
            completed=sum(done.get(lesson.pk, {}).values()),
            median_completed_on=as_day(_median_offset(done.get(lesson.pk, {}))),
            median_planned_on=as_day(_median_offset(planned.get(lesson.pk, {}))),
        )
        for lesson in lessons
    ]


def cohort_hours_per_day(*, cohort: Cohort) -> dict[dt.date, int]:
    """Minutes the whole cohort studied on each day of the window (one row per day)."""
    rows = (
        StudyLog.objects.filter(enrollment__cohort=cohort)
        .order_by()
        .values("day")
        .annotate(total=Sum("minutes"))
        .values_list("day", "total")
    )
    return dict(sorted(rows))


def cohort_hours_histogram(*, cohort: Cohort, bucket_hours: int = 10) -> list[tuple[int, int]]:
    """(lower bound in hours, students) for total hours per student, in buckets (one query over rollups)."""
    bucket_minutes = bucket_hours * 60
    rows = (
        StudentRollup.objects.filter(cohort=cohort)
        .annotate(bucket=F("total_minutes") / bucket_minutes)
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )
    counts = dict(rows)
    top = max(counts, default=0)
    return [(bucket * bucket_hours, counts.get(bucket, 0)) for bucket in range(top + 1)]


# Part of the charts' cache key: change it when what cohort_charts caches changes shape.
CHARTS_CACHE_SHAPE = "v2"


@dataclass(frozen=True)
class CohortCharts:
    funnel: list[FunnelStep]
    hours_per_day: dict[dt.date, int]
    histogram: list[tuple[int, int]]
    computed_at: dt.datetime


def cohort_charts(*, cohort: Cohort, now: dt.datetime | None = None) -> CohortCharts:
    """Funnel, hours per day and the hours histogram, cached per cohort for a few minutes.

    Hours per day aggregates every log of the cohort; a chart a few minutes old is fine, a slow page is not.
    The cache holds plain data only (tuples, dates, numbers), never our classes: a deploy that moves or
    changes a class must not make the entries cached by the release before it unreadable.
    """
    key = f"cohort-charts:{CHARTS_CACHE_SHAPE}:{cohort.pk}:{cohort.opens_on.isoformat()}"
    cached = cache.get(key)
    if cached is None:
        cached = {
            "funnel": [astuple(step) for step in cohort_funnel(cohort=cohort)],
            "hours_per_day": cohort_hours_per_day(cohort=cohort),
            "histogram": cohort_hours_histogram(cohort=cohort),
            "computed_at": now or timezone.now(),
        }
        cache.set(key, cached, settings.COHORT_CHARTS_CACHE_SECONDS)
    return CohortCharts(
        funnel=[FunnelStep(*step) for step in cached["funnel"]], hours_per_day=cached["hours_per_day"],
        histogram=cached["histogram"], computed_at=cached["computed_at"],
    )


# --- The student table -----------------------------------------------------

FILTERS = {
    "at_risk": "At risk",
    "not_started": "Not started",
    "finished": "Finished",
    "active": "Active in the last 7 days",
}


@dataclass(frozen=True)
class TableQuery:
    """The table's state, read from and written back to the URL so a view can be bookmarked."""

    show: str = ""
    q: str = ""
    time_zone: str = ""
    lesson: int | None = None
    group: int | None = None  # a group's id, or NO_GROUP for the students in none
    sort: str = "name"
    cohort: str = ""

    def url_params(self, **changes) -> str:
        values = {
            "cohort": self.cohort, "show": self.show, "q": self.q, "tz": self.time_zone,
            "lesson": self.lesson or "", "group": self.group or "", "sort": self.sort,
        }
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})

    def sort_link(self, key: str) -> str:
        """Sorting by a column twice flips its direction."""
        return self.url_params(sort=f"-{key}" if self.sort == key else key)


def cohort_students(*, cohort: Cohort, query: TableQuery, now: dt.datetime | None = None) -> QuerySet[StudentRollup]:
    rollups = StudentRollup.objects.filter(cohort=cohort).select_related("enrollment__user", "enrollment__group_membership__group")
    if query.show == "at_risk":
        rollups = rollups.filter(at_risk=True)
    elif query.show == "not_started":
        rollups = rollups.filter(days_studied=0)
    elif query.show == "finished":
        rollups = rollups.filter(lessons_done__gte=lesson_count())
    elif query.show == "active":
        rollups = rollups.filter(last_study_day__gte=cohort_today(cohort=cohort, now=now) - dt.timedelta(days=6))
    if query.q:
        rollups = rollups.filter(
            Q(enrollment__user__full_name__icontains=query.q) | Q(enrollment__user__email__icontains=query.q)
        )
    if query.time_zone:
        rollups = rollups.filter(enrollment__time_zone=query.time_zone)
    if query.lesson:
        rollups = rollups.filter(lesson_reached__gte=query.lesson)
    if query.group == NO_GROUP:
        rollups = rollups.filter(enrollment__group_membership__isnull=True)
    elif query.group:
        rollups = rollups.filter(enrollment__group_membership__group_id=query.group)
    column = SORTS[query.sort.lstrip("-")]
    descending = query.sort.startswith("-")
    ordering = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    return rollups.order_by(ordering, "enrollment_id")


def cohort_time_zones(*, cohort: Cohort) -> list[str]:
    return list(
        Enrollment.objects.filter(cohort=cohort).order_by("time_zone").values_list("time_zone", flat=True).distinct()
    )


def enrollment_for_staff(*, enrollment_id: int) -> Enrollment:
    """Any student's enrollment, with what the drill-down shows at once (staff only: the view checks)."""
    try:
        return Enrollment.objects.select_related("cohort", "user", "rollup").get(pk=enrollment_id)
    except Enrollment.DoesNotExist as exc:
        raise Http404("No such student.") from exc
