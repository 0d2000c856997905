"""Forming groups at scale: plan from the students with no group, then apply the plan as a job, idempotently.

Applying never moves anyone: a membership is one row per enrollment (OneToOne), inserted with
ON CONFLICT DO NOTHING, so a student who found a group meanwhile stays in it, and a retried or repeated
job finds its groups by (run, place in the plan) and adds nobody twice. Students too few for a group of their own
take free seats in the cohort's open groups, never past a group's capacity (its row is held while it counts).
"""

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from common.timezones import local_today, utc_offset_hours
from progress.models import Cohort, Enrollment, StudyLog

from ..forming import Candidate, OpenGroup, PlannedGroup, free_name, group_name, groups_plan, round_offset
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
            enrollment_id=pk, utc_offset=offsets[zone], time_zone=zone,
            weekly_hours=round(logged[pk] / 60 / (PACE_DAYS / 7), 1) if logged.get(pk) else float(weekday * 5 + weekend * 2),
        )
        for pk, zone, weekday, weekend in students
    ]


def forming_open_groups(*, cohort: Cohort) -> list[OpenGroup]:
    """The cohort's open groups with free seats (one query)."""
    groups = (
        StudyGroup.objects.filter(cohort=cohort, is_open=True).annotate(members=Count("memberships"))
        .filter(members__lt=F("capacity")).order_by("pk").values_list("pk", "name", "utc_offset", "weekly_goal_hours", "capacity", "members")
    )
    return [
        OpenGroup(group_id=pk, name=name, utc_offset=offset, weekly_goal_hours=goal, free_seats=capacity - members)
        for pk, name, offset, goal, capacity, members in groups
    ]


def forming_preview(*, cohort: Cohort, now: dt.datetime | None = None) -> list[PlannedGroup]:
    """The plan for the students with no group now: new groups, and seats in open groups for those too few for one."""
    return groups_plan(
        forming_candidates(cohort=cohort, now=now), capacity=DEFAULT_CAPACITY, open_groups=forming_open_groups(cohort=cohort),
        taken_names=StudyGroup.objects.filter(cohort=cohort).values_list("name", flat=True),
    )


def _plan_rows(planned: list[PlannedGroup]) -> list[dict]:
    """The plan as the run stores it; "group" is set on the rows of students who take seats in an open group."""
    return [
        {"offset": group.utc_offset, "goal": group.weekly_goal_hours, "pace": [group.pace_low, group.pace_high], "ids": list(group.enrollment_ids),
         "name": group.name, **({"group": group.group_id} if group.group_id else {})}
        for group in planned
    ]


@transaction.atomic
def forming_run_create(*, cohort: Cohort, started_by, enqueue: Callable[[int], object], now: dt.datetime | None = None) -> FormingRun:
    """Plan anew from the students with no group now, record it, and hand it to the job once committed."""
    planned = forming_preview(cohort=cohort, now=now)
    run = FormingRun.objects.create(cohort=cohort, started_by=started_by, plan=_plan_rows(planned), total_groups=len(planned))
    transaction.on_commit(lambda: enqueue(run.pk))
    return run


def _group_name(row: dict) -> str:
    """The name the preview showed; a run planned before groups had names gets one from its band and pace."""
    return row.get("name") or group_name(time_zone="", utc_offset=row["offset"], weekly_goal_hours=row["goal"])


def _groups_for_batch(*, run: FormingRun, rows: dict[int, dict]) -> dict[int, int]:
    """The batch's new groups, made once: {place in the plan: group id}. A name taken since the preview (a student
    made a group of that name) gets the next free number: "Lagos · steady pace · 2"."""
    existing = dict(StudyGroup.objects.filter(forming_run=run, forming_index__in=list(rows)).values_list("forming_index", "pk"))
    missing = {index: row for index, row in rows.items() if index not in existing}
    if not missing:
        return existing
    taken = {name.lower() for name in StudyGroup.objects.filter(cohort_id=run.cohort_id).values_list("name", flat=True)}
    for index, row in missing.items():
        group = StudyGroup(
            cohort_id=run.cohort_id, utc_offset=round_offset(row["offset"]), weekly_goal_hours=row["goal"], forming_run=run, forming_index=index,
        )
        for _ in range(100):  # a name taken between our read and our insert: try the next number
            group.name = free_name(_group_name(row), taken)
            try:
                with transaction.atomic():
                    group.save()
                break
            except IntegrityError:
                taken.add(group.name.lower())
                group.pk = None
        else:
            raise IntegrityError(f"No free name for group {index} of forming run {run.pk}")
        taken.add(group.name.lower())
        existing[index] = group.pk
    return existing


def _seats_in_open_group(*, run: FormingRun, row: dict) -> list[Membership]:
    """Memberships for the row's students in the open group they were planned into, as many as it still has seats
    for (its row held, as a student's own join holds it). Who found a group meanwhile keeps it; a group closed or
    deleted since the preview takes no one."""
    group = StudyGroup.objects.select_for_update().filter(pk=row["group"], cohort_id=run.cohort_id, is_open=True).first()
    if group is None:
        return []
    free = group.capacity - group.memberships.count()
    settled = set(Membership.objects.filter(enrollment_id__in=row["ids"]).values_list("enrollment_id", flat=True))
    return [Membership(enrollment_id=pk, group=group) for pk in [pk for pk in row["ids"] if pk not in settled][: max(free, 0)]]


def forming_run_apply(*, run_id: int, now: dt.datetime | None = None) -> FormingRun:
    """Apply a run's plan in batches of groups, recording progress after each (safe to run again)."""
    run = FormingRun.objects.get(pk=run_id)
    if run.state == FormingRun.State.DONE:
        return run
    FormingRun.objects.filter(pk=run.pk).update(state=FormingRun.State.APPLYING)
    plan = run.plan
    for start in range(0, len(plan), BATCH_GROUPS):
        rows = dict(enumerate(plan[start : start + BATCH_GROUPS], start=start))
        with transaction.atomic():
            group_ids = _groups_for_batch(run=run, rows={index: row for index, row in rows.items() if not row.get("group")})
            memberships = []
            for index, row in rows.items():
                if row.get("group"):
                    memberships += _seats_in_open_group(run=run, row=row)
                else:
                    memberships += [Membership(enrollment_id=pk, group_id=group_ids[index]) for pk in row["ids"]]
            Membership.objects.bulk_create(memberships, ignore_conflicts=True)
            # A group whose students all found groups of their own meanwhile is not kept empty.
            StudyGroup.objects.filter(pk__in=list(group_ids.values()), memberships__isnull=True).delete()
            FormingRun.objects.filter(pk=run.pk).update(applied_groups=min(start + len(rows), run.total_groups))
    planned = sum(len(row["ids"]) for row in plan)
    open_groups = {row["group"] for row in plan if row.get("group")}
    placed = Membership.objects.filter(
        Q(group__forming_run=run) | Q(group_id__in=open_groups, enrollment_id__in=[pk for row in plan if row.get("group") for pk in row["ids"]])
    ).count()
    FormingRun.objects.filter(pk=run.pk).update(
        state=FormingRun.State.DONE, applied_groups=run.total_groups, placed_students=placed, skipped_students=planned - placed,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def forming_run_mark_failed(*, run_id: int, error: str) -> None:
    FormingRun.objects.filter(pk=run_id).update(state=FormingRun.State.FAILED, error=error[:2000], finished_at=timezone.now())
