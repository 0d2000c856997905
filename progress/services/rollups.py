"""Per-student rollups: what cohort pages read instead of aggregating study logs.

Every write a student makes moves their enrolment's dashboard_version on; a rollup records the
version it was computed at, so one behind is stale. A study log, the write of the evening before
the cut-off, only moves the version (no recompute in the student's request); rarer writes call
`rollup_refresh` inside their transaction. Whatever reads a cohort's rollups (the staff pages, the
staff digest, the nightly snapshot) first calls `rollups_refresh_stale`, which recomputes the
stale rows in chunks: staff always read numbers as fresh as the last committed write.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import selectors
from ..models import Cohort, CohortSnapshot, Enrollment, ProjectSubmission, StudentRollup

CHUNK_SIZE = 500


ROLLUP_FIELDS = [
    "cohort", "total_minutes", "community_minutes", "minutes_last_7_days", "days_studied", "first_study_day",
    "last_study_day", "lessons_done", "lesson_reached", "finished_on", "has_plan", "days_ahead", "forecast_finish_on",
    "project_submitted", "on_track", "at_risk", "at_risk_reasons", "computed_for_day", "computed_version",
]


def _rollup_from(*, enrollment: Enrollment, standing: selectors.Standing, project_submitted: bool) -> StudentRollup:
    reasons = standing.at_risk_reasons(cohort=enrollment.cohort)
    return StudentRollup(
        enrollment=enrollment,
        cohort_id=enrollment.cohort_id,
        total_minutes=standing.total_minutes,
        community_minutes=standing.community_minutes,
        minutes_last_7_days=standing.minutes_last_7_days,
        days_studied=len(standing.minutes_by_day),
        first_study_day=min(standing.minutes_by_day, default=None),
        last_study_day=max(standing.minutes_by_day, default=None),
        lessons_done=standing.lessons_done,
        lesson_reached=standing.lesson_reached,
        finished_on=standing.finished_on,
        has_plan=standing.plan is not None,
        days_ahead=standing.pace.days_ahead,
        forecast_finish_on=standing.forecast_finish,
        project_submitted=project_submitted,
        on_track=standing.is_on_track(reasons=reasons),
        at_risk=bool(reasons),
        at_risk_reasons="; ".join(reasons),
        computed_for_day=standing.today,
        computed_version=enrollment.dashboard_version,
    )


def _rollups_save(rollups: list[StudentRollup]) -> None:
    StudentRollup.objects.bulk_create(
        rollups, update_conflicts=True, unique_fields=["enrollment"], update_fields=ROLLUP_FIELDS, batch_size=CHUNK_SIZE
    )


def dashboard_version_bump(*, enrollment_ids: Iterable[int]) -> None:
    """Writes the dashboard shows: each student's cached copy (keyed by this version) is drawn again on the
    next view, and their rollup is stale until recomputed. Every service that writes such rows calls it.

    Call it in the transaction of the write, so a reader sees the new version and the new rows together;
    the UPDATE also takes the enrolment's row lock until then.
    """
    Enrollment.objects.filter(pk__in=list(enrollment_ids)).update(dashboard_version=F("dashboard_version") + 1)


def rollup_refresh(*, enrollment: Enrollment, now: dt.datetime | None = None) -> None:
    """Move the student's version on and recompute their rollup from the source rows (a fixed handful of queries)."""
    dashboard_version_bump(enrollment_ids=[enrollment.pk])
    rollups_refresh_many(enrollment_ids=[enrollment.pk], now=now)


def rollups_refresh_many(*, enrollment_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Refresh a chunk of students in a fixed number of queries and one upsert (a recompute: safe to repeat).

    Each rollup records the version its enrolment had when read here, before its rows were; a write
    committed in between leaves the rollup one version behind, so stale, never wrongly fresh.
    """
    enrollments = list(Enrollment.objects.select_related("cohort").filter(pk__in=list(enrollment_ids)))
    if not enrollments:
        return 0
    standings = selectors.standings_for_many(enrollments=enrollments, now=now)
    with_project = set(
        ProjectSubmission.objects.filter(enrollment__in=enrollments).values_list("enrollment_id", flat=True)
    )
    with transaction.atomic():
        _rollups_save(
            [
                _rollup_from(enrollment=e, standing=standings[e.pk], project_submitted=e.pk in with_project)
                for e in enrollments
            ]
        )
    return len(enrollments)


def rollups_refresh_stale(*, cohort_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Recompute the cohort's (or every cohort's) rollups a write has moved past; one query when none has.

    Returns how many.
    """
    refreshed = 0
    for chunk in stale_rollup_id_chunks(cohort_id=cohort_id):
        refreshed += rollups_refresh_many(enrollment_ids=chunk, now=now)
    return refreshed


def rollup_up_to_date(*, enrollment: Enrollment) -> StudentRollup | None:
    """The student's rollup, recomputed first if a write has moved past it.

    No query when it is current and came with the enrolment (select_related("rollup")).
    """
    rollup = getattr(enrollment, "rollup", None)
    if rollup is not None and rollup.computed_version != enrollment.dashboard_version:
        rollups_refresh_many(enrollment_ids=[enrollment.pk])
        rollup = StudentRollup.objects.get(enrollment=enrollment)
    return rollup


def stale_rollup_id_chunks(*, cohort_id: int | None = None) -> list[list[int]]:
    """Enrolment ids whose rollup a write has moved past, in chunks of CHUNK_SIZE (one query)."""
    rollups = StudentRollup.objects.all()
    if cohort_id is not None:
        rollups = rollups.filter(cohort_id=cohort_id)
    stale = rollups.exclude(computed_version=F("enrollment__dashboard_version")).order_by("enrollment_id")
    return list(_chunks(list(stale.values_list("enrollment_id", flat=True))))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def enrollment_id_chunks(*, cohort_id: int | None = None, time_zones: Iterable[str] | None = None) -> Iterable[list[int]]:
    """Enrolment ids in chunks of CHUNK_SIZE, in id order, optionally for one cohort or some zones."""
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


def cohort_snapshot_take(*, cohort, now: dt.datetime | None = None):
    """Store (or overwrite) today's headline numbers for the cohort; running it again is harmless."""
    rollups_refresh_stale(cohort_id=cohort.pk, now=now)
    headline = selectors.cohort_headline(cohort=cohort, now=now)
    snapshot, _ = CohortSnapshot.objects.update_or_create(
        cohort=cohort, day=selectors.cohort_today(cohort=cohort, now=now), defaults=headline.__dict__
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
