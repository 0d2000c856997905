"""Reads for staff: a cohort's headline numbers, funnel, charts and student table, all from rollups.

Every function here runs a fixed number of queries whatever the cohort's size; per-student numbers come
from StudentRollup (kept current by every write), never from aggregating study logs per student, and the
verdict from its database form (selectors.verdicts), worked out on each student's today as the page is read.
"""

import datetime as dt
from dataclasses import astuple, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from common import cache_keys
from common.timezones import local_today
from lessons.selectors import lessons_in_course_order
from progress.models import Cohort, Enrollment, LessonProgress, ScheduleItem, StudentRollup, StudyLog
from progress.standing import Verdict

from ..columns import SORTS
from ..headline import Headline, HeadlineChange
from ..models import CohortSnapshot
from .verdicts import verdict_expression, verdict_rank_expression

PAGE_SIZE = 50
NO_GROUP = -1


def cohort_today(*, cohort: Cohort, now: dt.datetime | None = None) -> dt.date:
    return local_today(time_zone=cohort.time_zone, now=now)


def cohort_rollups(*, cohort: Cohort, now: dt.datetime | None = None, time_zones: list[str] | None = None) -> QuerySet[StudentRollup]:
    """The cohort's rollups, each annotated with `verdict` on its student's today (one query for the zones, unless
    the caller read them already: `time_zones`)."""
    zones = cohort_time_zones(cohort=cohort) if time_zones is None else time_zones
    return StudentRollup.objects.filter(cohort=cohort).annotate(verdict=verdict_expression(cohort=cohort, time_zones=zones, now=now))


def cohort_headline(*, cohort: Cohort, now: dt.datetime | None = None, time_zones: list[str] | None = None) -> Headline:
    """The headline numbers in one grouped aggregate over the rollups (each row's verdict worked out once): the
    four verdicts add up to the students whose numbers are kept (all of them, but right after a deploy)."""
    week_ago = cohort_today(cohort=cohort, now=now) - dt.timedelta(days=6)
    rows = (
        cohort_rollups(cohort=cohort, now=now, time_zones=time_zones).order_by().values("verdict")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(last_study_day__gte=week_ago)),
                  project=Count("pk", filter=Q(project_submitted=True)))
    )
    by_verdict = {row["verdict"]: row for row in rows}
    return Headline(
        enrolled=sum(row["n"] for row in by_verdict.values()),
        **{field: by_verdict.get(verdict.value, {}).get("n", 0) for field, verdict in VERDICT_FIELDS.items()},
        active_7_days=sum(row["active"] for row in by_verdict.values()),
        project_submitted=sum(row["project"] for row in by_verdict.values()),
    )


def cohort_headline_with_change(
    *, cohort: Cohort, now: dt.datetime | None = None, time_zones: list[str] | None = None
) -> HeadlineChange:
    week_ago = cohort_today(cohort=cohort, now=now) - dt.timedelta(days=7)
    return HeadlineChange(
        now=cohort_headline(cohort=cohort, now=now, time_zones=time_zones),
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


@dataclass(frozen=True)
class CohortCharts:
    funnel: list[FunnelStep]
    hours_per_day: dict[dt.date, int]
    histogram: list[tuple[int, int]]
    computed_at: dt.datetime


def cohort_charts(*, cohort: Cohort, now: dt.datetime | None = None) -> CohortCharts:
    """Funnel, hours per day and the hours histogram: what every staff member shares, cached per cohort for a
    few minutes under the one key `cache_keys.cohort_charts` names, its age shown on the page.

    Hours per day aggregates every log of the cohort; a chart a few minutes old is fine, a slow page is not.
    The cache holds plain data only (tuples, dates, numbers), never our classes, and the release's
    KEY_PREFIX keeps one release's entries from another's.
    """
    key = cache_keys.cohort_charts(cohort_id=cohort.pk)
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

# The headline's verdict counts, each a field of Headline and CohortSnapshot.
VERDICT_FIELDS = {"at_risk": Verdict.AT_RISK, "behind": Verdict.BEHIND, "on_track": Verdict.ON_TRACK, "finished": Verdict.FINISHED}

FILTERS = {
    "at_risk": "At risk",
    "behind": "Behind plan, finishing in time",
    "on_track": "On track",
    "finished": "Finished",
    "not_started": "Not started",
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


def cohort_students(
    *, cohort: Cohort, query: TableQuery, now: dt.datetime | None = None, time_zones: list[str] | None = None
) -> QuerySet[StudentRollup]:
    rollups = cohort_rollups(cohort=cohort, now=now, time_zones=time_zones).select_related("enrollment__user", "enrollment__group_membership__group")
    if query.show in VERDICT_FIELDS:
        rollups = rollups.filter(verdict=VERDICT_FIELDS[query.show].value)
    elif query.show == "not_started":
        rollups = rollups.filter(days_studied=0)
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
    column = SORTS.get(query.sort.lstrip("-"), SORTS["name"])
    if column == "verdict_rank":
        rollups = rollups.annotate(verdict_rank=verdict_rank_expression())
    descending = query.sort.startswith("-")
    ordering = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    return rollups.order_by(ordering, "enrollment_id")


def rollups_with_people(*, ids: list[int]) -> list[StudentRollup]:
    """A page of the table's rollups, in `ids`' order, with each student's user and group (one query).

    The table's page is picked first by id on the rollups alone (`cohort_students(...).values_list("pk")`), then
    only its rows are joined: joining before the sort joined every matching student (1,800 at risk) for 50 shown.
    """
    by_id = StudentRollup.objects.select_related("enrollment__user", "enrollment__group_membership__group").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def cohort_missing_rollups(*, cohort: Cohort, kept: int) -> int:
    """Students enrolled whose numbers are not kept yet (only between a deploy and its rebuild), given how many
    rollups the headline counted."""
    return max(Enrollment.objects.filter(cohort=cohort).count() - kept, 0)


def cohort_time_zones(*, cohort: Cohort) -> list[str]:
    """The zones of the cohort's kept numbers: the very values the verdict expression matches rows on (an index scan)."""
    return list(
        StudentRollup.objects.filter(cohort=cohort).order_by("time_zone").values_list("time_zone", flat=True).distinct()
    )


def enrollment_for_staff(*, enrollment_id: int) -> Enrollment:
    """Any student's enrollment, with what the drill-down shows at once (staff only: the view checks)."""
    try:
        return Enrollment.objects.select_related("cohort", "user").get(pk=enrollment_id)
    except Enrollment.DoesNotExist as exc:
        raise Http404("No such student.") from exc
