"""Per-student rollups, what cohort pages read instead of aggregating study logs, and the cohort's snapshots.

One freshness rule. A student's write only moves their enrollment's version on (progress); a rollup
records the version it was computed at. `rollups_up_to_date` is the one way rollups are brought up to
date: it computes every missing row and recomputes every stale one, in chunks. The staff pages, the
export, the staff digest, the admin and the catch-up beat call it before they read.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from progress.models import Cohort, Enrollment, ProjectSubmission
from progress.selectors.standing import standings_for_many
from progress.standing import Standing

from ..models import CohortSnapshot, StudentRollup
from ..selectors.cohorts import cohort_headline, cohort_today

CHUNK_SIZE = 500

ROLLUP_FIELDS = [
    "cohort", "total_minutes", "community_minutes", "minutes_last_7_days", "days_studied", "first_study_day",
    "last_study_day", "lessons_done", "lesson_reached", "finished_on", "has_plan", "days_ahead", "forecast_finish_on",
    "project_submitted", "on_track", "at_risk", "risk_reasons", "computed_for_day", "computed_version",
]


def _rollup_from(*, enrollment: Enrollment, standing: Standing, project_submitted: bool) -> StudentRollup:
    reasons = standing.risk_reasons
    return StudentRollup(
        enrollment=enrollment,
        cohort_id=enrollment.cohort_id,
        total_minutes=standing.total_minutes,
        community_minutes=standing.community_minutes,
        minutes_last_7_days=standing.minutes_last_7_days,
        days_studied=len(standing.minutes_by_day),
        first_study_day=min(standing.minutes_by_day, default=None),
        last_study_day=standing.last_study_day,
        lessons_done=standing.lessons_done,
        lesson_reached=standing.lesson_reached,
        finished_on=standing.finished_on,
        has_plan=standing.plan is not None,
        days_ahead=standing.pace.days_ahead,
        forecast_finish_on=standing.forecast_finish,
        project_submitted=project_submitted,
        on_track=standing.is_on_track,
        at_risk=bool(reasons),
        risk_reasons=[str(reason) for reason in reasons],
        computed_for_day=standing.today,
        computed_version=enrollment.dashboard_version,
    )


def rollups_refresh_many(*, enrollment_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Compute a chunk of students' rollups in a fixed number of queries and one upsert (safe to repeat).

    Each rollup records the version its enrollment had when read here, before its rows were; a write
    committed in between leaves the rollup one version behind, so stale, never wrongly fresh.
    """
    # In id order, so the upsert below locks its rows in id order: two refreshes at once (two staff pages, a page
    # and the catch-up beat) then wait for each other at worst, and never deadlock.
    enrollments = list(Enrollment.objects.select_related("cohort").filter(pk__in=list(enrollment_ids)).order_by("pk"))
    if not enrollments:
        return 0
    standings = standings_for_many(enrollments=enrollments, now=now)
    with_project = set(ProjectSubmission.objects.filter(enrollment__in=enrollments).values_list("enrollment_id", flat=True))
    with transaction.atomic():
        StudentRollup.objects.bulk_create(
            [_rollup_from(enrollment=e, standing=standings[e.pk], project_submitted=e.pk in with_project) for e in enrollments],
            update_conflicts=True, unique_fields=["enrollment"], update_fields=ROLLUP_FIELDS, batch_size=CHUNK_SIZE,
        )
    return len(enrollments)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def out_of_date_id_chunks(*, cohort_id: int | None = None, enrollment_ids: Iterable[int] | None = None) -> list[list[int]]:
    """Enrollment ids whose rollup is missing, or behind a write since, in chunks (one query)."""
    enrollments = Enrollment.objects.all()
    if cohort_id is not None:
        enrollments = enrollments.filter(cohort_id=cohort_id)
    if enrollment_ids is not None:
        enrollments = enrollments.filter(pk__in=list(enrollment_ids))
    out_of_date = enrollments.filter(Q(rollup__isnull=True) | ~Q(rollup__computed_version=F("dashboard_version")))
    return list(_chunks(list(out_of_date.order_by("pk").values_list("pk", flat=True))))


def rollups_up_to_date(
    *, cohort_id: int | None = None, enrollment_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """Bring the cohort's (or every cohort's, or some students') rollups up to every committed write: the missing
    computed, the stale recomputed; one query when none is. Returns how many. The one freshness function (module docstring)."""
    chunks = out_of_date_id_chunks(cohort_id=cohort_id, enrollment_ids=enrollment_ids)
    return sum(rollups_refresh_many(enrollment_ids=chunk, now=now) for chunk in chunks)


def rollup_for_enrollment(*, enrollment: Enrollment) -> StudentRollup:
    """One student's rollup, brought up to date first if missing or stale (no query when current and fetched
    with the enrollment, select_related("rollup"))."""
    rollup = getattr(enrollment, "rollup", None)
    if rollup is None or rollup.computed_version != enrollment.dashboard_version:
        rollups_refresh_many(enrollment_ids=[enrollment.pk])
        rollup = StudentRollup.objects.get(enrollment=enrollment)
    return rollup


def enrollment_id_chunks(*, cohort_id: int | None = None, time_zones: Iterable[str] | None = None) -> Iterable[list[int]]:
    """Enrollment ids in chunks, in id order, optionally for one cohort or some zones."""
    enrollments = Enrollment.objects.order_by("pk")
    if cohort_id is not None:
        enrollments = enrollments.filter(cohort_id=cohort_id)
    if time_zones is not None:
        enrollments = enrollments.filter(time_zone__in=list(time_zones))
    return _chunks(list(enrollments.values_list("pk", flat=True)))


def rollups_rebuild(
    *, cohort_id: int | None = None, now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every rollup (or one cohort's) from scratch; safe to run at any time."""
    chunks = list(enrollment_id_chunks(cohort_id=cohort_id))
    total = sum(len(chunk) for chunk in chunks)
    done = 0
    for chunk in chunks:
        done += rollups_refresh_many(enrollment_ids=chunk, now=now)
        if progress:
            progress(done, total)
    return done


def time_zones_starting_a_day(*, now: dt.datetime | None = None) -> list[str]:
    """The students' zones where the local hour is 0 now: their "today" has just changed."""
    now = now or timezone.now()
    zones = Enrollment.objects.order_by().values_list("time_zone", flat=True).distinct()
    return [zone for zone in zones if now.astimezone(ZoneInfo(zone)).hour == 0]


def cohort_snapshot_take(*, cohort: Cohort, now: dt.datetime | None = None) -> CohortSnapshot:
    """Store (or overwrite) today's headline numbers for the cohort; running it again is harmless."""
    rollups_up_to_date(cohort_id=cohort.pk, now=now)
    headline = cohort_headline(cohort=cohort, now=now)
    snapshot, _ = CohortSnapshot.objects.update_or_create(
        cohort=cohort, day=cohort_today(cohort=cohort, now=now), defaults=headline.__dict__
    )
    return snapshot


def cohort_snapshots_take(*, now: dt.datetime | None = None) -> int:
    """Snapshots for every cohort still running or closed within the last 30 days."""
    now = now or timezone.now()
    cohorts = Cohort.objects.filter(cutoff_at__gt=now - dt.timedelta(days=30), opens_on__lte=now.date() + dt.timedelta(days=1))
    count = 0
    for cohort in cohorts:
        cohort_snapshot_take(cohort=cohort, now=now)
        count += 1
    return count
