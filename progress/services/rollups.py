"""The one freshness rule: a write recomputes the stored numbers of every student it touched, in its transaction.

Every service that changes a student's rows (logs, lessons done, the plan, the zone, an event attended, the
project, a CSV import, the admin through these same services) calls `enrollments_lock` first and
`rollups_refresh` last, inside its `transaction.atomic`. Readers then find the rollup as current as the rows.
An edit that moves many students at once (a lesson's estimate, the lesson set, a cohort's cut-off) queues
one cohort-wide `rollup_rebuild` on commit instead; staff watch its progress on the cohort page.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from ..models import Cohort, Enrollment, RollupRebuild, StudentRollup
from ..selectors.numbers import standings_for_many
from ..standing import STORED_FIELDS, StoredNumbers

CHUNK_SIZE = 500


def enrollments_lock(*, enrollment_ids: Iterable[int]) -> list[Enrollment]:
    """Lock the students' enrollments until the transaction ends, in id order (so two writers never deadlock).

    One student's writes queue up here: two saves at once can not each miss the other's minutes (the
    24-hours-a-day rule), and their rollup refreshes can not interleave. Call inside the transaction.
    """
    return list(Enrollment.objects.select_for_update().filter(pk__in=list(enrollment_ids)).order_by("pk"))


def _rollup_from(*, enrollment: Enrollment, numbers: StoredNumbers) -> StudentRollup:
    values = dataclasses.asdict(numbers)
    values["recent_minutes"] = list(numbers.recent_minutes)
    return StudentRollup(enrollment=enrollment, cohort_id=enrollment.cohort_id, time_zone=enrollment.time_zone, **values)


def rollups_refresh(*, enrollment_ids: Iterable[int]) -> int:
    """Recompute the students' stored numbers from their rows and store them (a fixed number of queries and
    one upsert per chunk, whatever the chunk's size). Safe to repeat.

    Call inside the transaction of the write that changed the rows, after it, so the rollup commits with
    them; callers that lock (`enrollments_lock`) make a concurrent write wait for this one.
    """
    ids = sorted(set(enrollment_ids))
    if not ids:
        return 0
    enrollments = list(Enrollment.objects.select_related("cohort").filter(pk__in=ids).order_by("pk"))
    standings = standings_for_many(enrollments=enrollments)
    # One upsert statement (callers pass at most a chunk); the caller's transaction holds it with the write.
    StudentRollup.objects.bulk_create(
        [_rollup_from(enrollment=e, numbers=standings[e.pk].numbers) for e in enrollments],
        update_conflicts=True, unique_fields=["enrollment"], update_fields=["cohort", "time_zone", *STORED_FIELDS, "updated_at"],
        batch_size=CHUNK_SIZE,
    )
    return len(enrollments)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def rollups_rebuild(
    *, cohort_id: int | None = None, missing_only: bool = False, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every rollup (or one cohort's, or only the missing ones) from the rows, a chunk per transaction,
    each chunk's students locked as a write would; safe to run at any time, alongside any write."""
    enrollments = Enrollment.objects.order_by("pk")
    if cohort_id is not None:
        enrollments = enrollments.filter(cohort_id=cohort_id)
    if missing_only:
        enrollments = enrollments.filter(rollup__isnull=True)
    ids = list(enrollments.values_list("pk", flat=True))
    done = 0
    for chunk in _chunks(ids):
        with transaction.atomic():
            enrollments_lock(enrollment_ids=chunk)
            done += rollups_refresh(enrollment_ids=chunk)
        if progress:
            progress(done, len(ids))
    return done


def rollup_rebuild_queue(*, cohort_ids: Iterable[int] | None = None, reason: str) -> list[RollupRebuild]:
    """Queue one cohort-wide recompute per cohort (every cohort when None) to run once this transaction commits.

    For an edit that moves many students' numbers at once; call inside the edit's transaction.
    """
    from ..tasks import rollup_rebuild_run  # the task module imports this one

    cohorts = Cohort.objects.order_by("pk")
    if cohort_ids is not None:
        cohorts = cohorts.filter(pk__in=list(cohort_ids))
    rebuilds = [
        RollupRebuild.objects.create(cohort=cohort, reason=reason[:200], total_students=cohort.enrollments.count())
        for cohort in cohorts
    ]
    for rebuild in rebuilds:
        transaction.on_commit(lambda pk=rebuild.pk: rollup_rebuild_run.delay(pk))
    return rebuilds


def rollup_rebuild_apply(*, rebuild_id: int, now: dt.datetime | None = None) -> RollupRebuild | None:
    """Run a queued cohort-wide recompute, recording how far it has got; a retry starts it again (harmless)."""
    rebuild = RollupRebuild.objects.filter(pk=rebuild_id).first()
    if rebuild is None or rebuild.state == RollupRebuild.State.DONE:
        return rebuild
    RollupRebuild.objects.filter(pk=rebuild_id).update(state=RollupRebuild.State.APPLYING)

    def progress(done: int, total: int) -> None:
        RollupRebuild.objects.filter(pk=rebuild_id).update(done_students=min(done, total), total_students=total)

    rollups_rebuild(cohort_id=rebuild.cohort_id, progress=progress)
    RollupRebuild.objects.filter(pk=rebuild_id).update(state=RollupRebuild.State.DONE, finished_at=now or timezone.now())
    rebuild.refresh_from_db()
    return rebuild


def rollup_rebuild_mark_failed(*, rebuild_id: int, error: str) -> None:
    RollupRebuild.objects.filter(pk=rebuild_id).update(state=RollupRebuild.State.FAILED, error=error[:2000], finished_at=timezone.now())
