"""Forming groups at scale: plan from the students with no group, then apply the plan as a job, idempotently.

Applying never moves anyone: a membership is one row per enrollment (OneToOne), inserted with
ON CONFLICT DO NOTHING, so a student who found a group meanwhile stays in it, and a retried or repeated
job finds its groups by (run, place in the plan) and adds nobody twice.
"""

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from common.timezones import local_today, utc_offset_hours
from progress.models import Cohort, Enrollment, StudyLog

from ..forming import Candidate, PlannedGroup, groups_plan
from ..models import DEFAULT_CAPACITY, FormingRun, Membership, StudyGroup

PACE_DAYS = 14
BATCH_GROUPS = 100


def forming_candidates(*, cohort: Cohort, now: dt.datetime | None = None) -> list[Candidate]:
    """The cohort's students with no group, their offset now, and their pace: hours a week over the last two
    weeks if they logged any, else the weekly goal they set (three queries however many students)."""
    now = now or timezone.now()
    students = list(
        Enrollment.objects.filter(cohort=cohort, user__is_active=True, group_membership__isnull=True)
        .order_by("pk").values_list("pk", "time_zone", "weekday_goal_hours", "weekend_goal_hours")
    )
    since = local_today(time_zone=cohort.time_zone, now=now) - dt.timedelta(days=PACE_DAYS)
    logged = dict(
        StudyLog.objects.filter(enrollment__cohort=cohort, enrollment__group_membership__isnull=True, day__gt=since)
        .order_by().values("enrollment_id").annotate(minutes=Sum("minutes")).values_list("enrollment_id", "minutes")
    )
    offsets = {zone: utc_offset_hours(time_zone=zone, now=now) for zone in {zone for _, zone, _, _ in students}}
    return [
        Candidate(
            enrollment_id=pk, utc_offset=offsets[zone],
            weekly_hours=round(logged[pk] / 60 / (PACE_DAYS / 7), 1) if logged.get(pk) else float(weekday * 5 + weekend * 2),
        )
        for pk, zone, weekday, weekend in students
    ]


def forming_preview(*, cohort: Cohort, now: dt.datetime | None = None) -> list[PlannedGroup]:
    return groups_plan(forming_candidates(cohort=cohort, now=now), capacity=DEFAULT_CAPACITY)


def _plan_rows(planned: list[PlannedGroup]) -> list[dict]:
    return [
        {"offset": group.utc_offset, "goal": group.weekly_goal_hours, "pace": [group.pace_low, group.pace_high], "ids": list(group.enrollment_ids)}
        for group in planned
    ]


@transaction.atomic
def forming_run_create(*, cohort: Cohort, started_by, enqueue: Callable[[int], object], now: dt.datetime | None = None) -> FormingRun:
    """Plan anew from the students with no group now, record it, and hand it to the job once committed."""
    planned = forming_preview(cohort=cohort, now=now)
    run = FormingRun.objects.create(cohort=cohort, started_by=started_by, plan=_plan_rows(planned), total_groups=len(planned))
    transaction.on_commit(lambda: enqueue(run.pk))
    return run


def _group_name(run: FormingRun, index: int, row: dict) -> str:
    low, high = row["pace"]
    band = f"UTC{row['offset']:+d}" if row["offset"] else "UTC±0"
    return f"{band} · {round(low)}–{round(high)} h a week · {run.pk}.{index + 1}"


def _groups_for_batch(*, run: FormingRun, start: int, rows: list[dict]) -> dict[int, int]:
    """The batch's groups, made once: {place in the plan: group id}."""
    existing = dict(StudyGroup.objects.filter(forming_run=run, forming_index__gte=start, forming_index__lt=start + len(rows))
                    .values_list("forming_index", "pk"))
    for offset, row in enumerate(rows):
        index = start + offset
        if index in existing:
            continue
        group = StudyGroup(
            cohort_id=run.cohort_id, name=_group_name(run, index, row), utc_offset=max(-12, min(14, row["offset"])),
            weekly_goal_hours=row["goal"], forming_run=run, forming_index=index,
        )
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError:  # a student's group already has the name: keep both, told apart
            group.pk = None
            group.name = f"{group.name} (formed)"
            group.save()
        existing[index] = group.pk
    return existing


def forming_run_apply(*, run_id: int, now: dt.datetime | None = None) -> FormingRun:
    """Apply a run's plan in batches of groups, recording progress after each (safe to run again)."""
    run = FormingRun.objects.get(pk=run_id)
    if run.state == FormingRun.State.DONE:
        return run
    FormingRun.objects.filter(pk=run.pk).update(state=FormingRun.State.APPLYING)
    plan = run.plan
    for start in range(0, len(plan), BATCH_GROUPS):
        rows = plan[start : start + BATCH_GROUPS]
        with transaction.atomic():
            group_ids = _groups_for_batch(run=run, start=start, rows=rows)
            Membership.objects.bulk_create(
                [Membership(enrollment_id=pk, group_id=group_ids[start + offset]) for offset, row in enumerate(rows) for pk in row["ids"]],
                ignore_conflicts=True,
            )
            # A group whose students all found groups of their own meanwhile is not kept empty.
            StudyGroup.objects.filter(pk__in=list(group_ids.values()), memberships__isnull=True).delete()
            FormingRun.objects.filter(pk=run.pk).update(applied_groups=min(start + len(rows), run.total_groups))
    planned = sum(len(row["ids"]) for row in plan)
    placed = Membership.objects.filter(group__forming_run=run).count()
    FormingRun.objects.filter(pk=run.pk).update(
        state=FormingRun.State.DONE, applied_groups=run.total_groups, placed_students=placed, skipped_students=planned - placed,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def forming_run_mark_failed(*, run_id: int, error: str) -> None:
    FormingRun.objects.filter(pk=run_id).update(state=FormingRun.State.FAILED, error=error[:2000], finished_at=timezone.now())
