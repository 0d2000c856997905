"""Building, re-planning and adjusting a student's study plan."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import planning
from ..models import Enrollment, ScheduleItem, StudyPlan
from ..selectors.enrollments import enrollment_cutoff_day, enrollment_today
from ..selectors.logs import lesson_minutes_remaining
from .rollups import enrollments_lock, rollups_refresh


@dataclass(frozen=True)
class PlanOutcome:
    """What a plan would be or is: its last day and, when it does not fit, the hours that would."""

    items: list[planning.PlannedLesson]
    ends_on: dt.date | None
    target_on: dt.date
    cutoff_day: dt.date
    needed_for_target: planning.NeededHours | None
    needed_for_cutoff: planning.NeededHours | None
    saved: bool

    @property
    def fits_target(self) -> bool:
        return self.ends_on is not None and self.ends_on <= self.target_on

    @property
    def fits_cutoff(self) -> bool:
        return self.ends_on is not None and self.ends_on <= self.cutoff_day


class PlanAfterCutoff(Exception):
    """The plan would end after the cut-off; nothing is saved until the student confirms."""

    def __init__(self, outcome: PlanOutcome):
        super().__init__("The plan ends after the cut-off.")
        self.outcome = outcome


def _plan_check(
    *, enrollment: Enrollment, starts_on: dt.date, target_on: dt.date, weekday_hours: Decimal, weekend_hours: Decimal,
    days_off: list[dt.date], cutoff_day: dt.date,
) -> None:
    errors: dict[str, str] = {}
    opens_on = enrollment.cohort.opens_on
    outside = [day for day in days_off if not opens_on <= day <= cutoff_day]
    if outside:
        errors["days_off"] = (
            f"Days off lie inside the course, {opens_on:%-d %b %Y} to {cutoff_day:%-d %b %Y}: "
            f"{', '.join(day.isoformat() for day in outside[:5])} {'is' if len(outside) == 1 else 'are'} not."
        )
    if starts_on < enrollment.cohort.opens_on:
        errors["starts_on"] = f"The course opens on {enrollment.cohort.opens_on:%-d %b %Y}; start on or after it."
    elif starts_on > cutoff_day:
        errors["starts_on"] = f"The course closes on {cutoff_day:%-d %b %Y}; start before that."
    if target_on < starts_on:
        errors["target_on"] = "The finish day can not come before the start day."
    elif target_on > cutoff_day:
        errors["target_on"] = f"Finish by the cut-off day, {cutoff_day:%-d %b %Y}, at the latest."
    for name, value in (("weekday_hours", weekday_hours), ("weekend_hours", weekend_hours)):
        if not Decimal(0) <= value <= Decimal(24):
            errors[name] = "Between 0 and 24 hours."
    if not errors and weekday_hours == 0 and weekend_hours == 0:
        errors["weekday_hours"] = "Plan some hours on weekdays or at weekends."
    if errors:
        raise ValidationError(errors)


def schedule_build(
    *,
    enrollment: Enrollment,
    starts_on: dt.date,
    target_on: dt.date,
    weekday_hours: Decimal,
    weekend_hours: Decimal,
    days_off: list[dt.date],
    accept_after_cutoff: bool = False,
) -> PlanOutcome:
    """Plan the lessons left from `starts_on` and store it, replacing any earlier plan.

    Raises PlanAfterCutoff, saving nothing, when the plan would end after the
    cut-off and the student has not confirmed they saw that.
    """
    cutoff_day = enrollment_cutoff_day(enrollment=enrollment)
    _plan_check(
        enrollment=enrollment, starts_on=starts_on, target_on=target_on, weekday_hours=weekday_hours,
        weekend_hours=weekend_hours, days_off=days_off, cutoff_day=cutoff_day,
    )
    hours = planning.DailyHours(
        weekday_minutes=int(weekday_hours * 60), weekend_minutes=int(weekend_hours * 60), days_off=frozenset(days_off)
    )
    remaining = lesson_minutes_remaining(enrollment=enrollment)
    items = planning.plan_lessons(remaining=remaining, starts_on=starts_on, hours=hours)
    ends_on = planning.plan_end(items)
    total = sum(minutes for _, minutes in remaining)
    outcome = PlanOutcome(
        items=items,
        ends_on=ends_on,
        target_on=target_on,
        cutoff_day=cutoff_day,
        needed_for_target=planning.hours_needed_to_fit(total_minutes=total, first=starts_on, last=target_on, hours=hours),
        needed_for_cutoff=planning.hours_needed_to_fit(total_minutes=total, first=starts_on, last=cutoff_day, hours=hours),
        saved=False,
    )
    if not outcome.fits_cutoff and not accept_after_cutoff:
        raise PlanAfterCutoff(outcome)
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        plan, _ = StudyPlan.objects.select_for_update().update_or_create(
            enrollment=enrollment,
            defaults={
                "starts_on": starts_on,
                "target_on": target_on,
                "weekday_hours": weekday_hours,
                "weekend_hours": weekend_hours,
                "days_off": sorted(day.isoformat() for day in set(days_off)),
            },
        )
        plan.items.all().delete()
        ScheduleItem.objects.bulk_create(
            ScheduleItem(
                plan=plan, lesson_id=item.lesson_id, planned_minutes=item.minutes, starts_on=item.starts_on, ends_on=item.ends_on
            )
            for item in items
        )
        rollups_refresh(enrollment_ids=[enrollment.pk])
    return PlanOutcome(**{**outcome.__dict__, "saved": True})


def schedule_item_move(*, item: ScheduleItem, ends_on: dt.date) -> list[ScheduleItem]:
    """Move a lesson's planned last day; later lessons that would overlap shift by the same days.

    Lessons may share a day (one ends, the next begins), as the planner itself
    does, so only a later lesson starting before this one's end moves.
    """
    if item.starts_on is None:
        raise ValidationError({"ends_on": "This lesson has nothing left to plan."})
    if ends_on < item.starts_on:
        raise ValidationError({"ends_on": f"It starts on {item.starts_on:%-d %b}; end on or after that day."})
    cutoff_day = enrollment_cutoff_day(enrollment=item.plan.enrollment)
    if ends_on > cutoff_day:
        raise ValidationError({"ends_on": f"The course closes on {cutoff_day:%-d %b %Y}; end on or before that day."})
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[item.plan.enrollment_id])
        items = list(ScheduleItem.objects.select_for_update().filter(plan_id=item.plan_id).order_by("lesson__number"))
        moved: list[ScheduleItem] = []
        previous_end = None
        for current in items:
            if current.pk == item.pk:
                current.ends_on = ends_on
                previous_end = ends_on
                moved.append(current)
                continue
            if previous_end is None or current.starts_on is None:
                continue
            if current.starts_on < previous_end:
                shift = previous_end - current.starts_on
                current.starts_on += shift
                current.ends_on += shift
                moved.append(current)
            previous_end = current.ends_on
        ScheduleItem.objects.bulk_update(moved, ["starts_on", "ends_on"])
        rollups_refresh(enrollment_ids=[item.plan.enrollment_id])
    return items


def replan_defaults(*, enrollment: Enrollment, now: dt.datetime | None = None) -> dict:
    """The current plan's choices, starting today: what "Re-plan from today" submits."""
    plan = enrollment.plan
    today = enrollment_today(enrollment=enrollment, now=now or timezone.now())
    cutoff_day = enrollment_cutoff_day(enrollment=enrollment)
    starts_on = max(today, enrollment.cohort.opens_on)
    return {
        "starts_on": starts_on,
        "target_on": max(plan.target_on, min(starts_on, cutoff_day)),
        "weekday_hours": plan.weekday_hours,
        "weekend_hours": plan.weekend_hours,
        "days_off": sorted(day for day in plan.days_off_dates if day >= starts_on),
    }
