"""A student's study plan as the schedule page shows it, and the student a calendar feed's address belongs to."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from .. import planning
from ..models import Enrollment, ScheduleItem, StudyPlan
from ..course_days import cutoff_day
from .enrollments import enrollment_today
from .logs import lesson_minutes_remaining


def plan_for_enrollment(*, enrollment: Enrollment) -> StudyPlan | None:
    return StudyPlan.objects.filter(enrollment=enrollment).prefetch_related("items__lesson").first()


def schedule_item_get_for_user(*, user, item_id: int) -> ScheduleItem:
    try:
        return ScheduleItem.objects.select_related("plan__enrollment__cohort", "lesson").get(pk=item_id, plan__enrollment__user=user)
    except ScheduleItem.DoesNotExist as exc:
        raise Http404("No such plan entry.") from exc


def enrollment_get_by_calendar_token(*, token: str) -> Enrollment:
    """The student whose calendar feed has this secret address; Http404 for any other token. Every student has
    one (a plan's old token was copied onto its enrollment, so an address subscribed to before still works)."""
    try:
        return Enrollment.objects.select_related("cohort", "user").get(calendar_token=token)
    except Enrollment.DoesNotExist as exc:
        raise Http404("No such calendar.") from exc


@dataclass(frozen=True)
class SchedulePage:
    plan: StudyPlan | None
    items: list[ScheduleItem]
    today: dt.date
    cutoff_day: dt.date
    window: tuple[dt.date, dt.date]  # the course's first and last day for this student
    ends_on: dt.date | None
    needed_for_target: planning.NeededHours | None
    needed_for_cutoff: planning.NeededHours | None
    defaults: dict

    @property
    def fits_target(self) -> bool:
        return self.plan is not None and self.ends_on is not None and self.ends_on <= self.plan.target_on

    @property
    def fits_cutoff(self) -> bool:
        return self.ends_on is not None and self.ends_on <= self.cutoff_day


def schedule_page(*, enrollment: Enrollment, now: dt.datetime | None = None) -> SchedulePage:
    """The plan with its warnings, and the choices a first plan starts from (three queries)."""
    now = now or timezone.now()
    today = enrollment_today(enrollment=enrollment, now=now)
    last_day = cutoff_day(enrollment=enrollment)
    window = (enrollment.cohort.opens_on, last_day)
    plan = plan_for_enrollment(enrollment=enrollment)
    starts_on = max(today, enrollment.cohort.opens_on)
    defaults = {
        "starts_on": starts_on,
        "target_on": max(last_day - dt.timedelta(days=7), min(starts_on, last_day)),
        "weekday_hours": enrollment.weekday_goal_hours,
        "weekend_hours": enrollment.weekend_goal_hours,
        "days_off": [],
    }
    if plan is None:
        return SchedulePage(None, [], today, last_day, window, None, None, None, defaults)
    items = list(plan.items.all())
    ends_on = planning.plan_end([planning.PlannedLesson(i.lesson_id, i.planned_minutes, i.starts_on, i.ends_on) for i in items])
    remaining_total = sum(minutes for _, minutes in lesson_minutes_remaining(enrollment=enrollment))
    first = max(today, plan.starts_on)
    hours = plan.daily_hours
    return SchedulePage(
        plan=plan,
        items=items,
        today=today,
        cutoff_day=last_day,
        window=window,
        ends_on=ends_on,
        needed_for_target=planning.hours_needed_to_fit(total_minutes=remaining_total, first=first, last=plan.target_on, hours=hours),
        needed_for_cutoff=planning.hours_needed_to_fit(total_minutes=remaining_total, first=first, last=last_day, hours=hours),
        defaults={
            "starts_on": plan.starts_on,
            "target_on": plan.target_on,
            "weekday_hours": plan.weekday_hours,
            "weekend_hours": plan.weekend_hours,
            "days_off": sorted(plan.days_off_dates),
        },
    )
