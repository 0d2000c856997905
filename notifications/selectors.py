"""What each email says: the data for a chunk of recipients, in a fixed number of queries."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from common.timezones import local_today
from groups.selectors import groups_week_for_enrollments
from lessons.selectors import lessons_in_course_order
from progress.models import Cohort, Enrollment, WeeklySummary
from progress.selectors.reflection import week_of_number
from progress.selectors.standing import standings_for_many
from progress.standing import RiskReason, course_week, streak_days
from review.models import StudentRollup
from review.selectors.cohorts import cohort_headline_with_change
from review.selectors.groups import groups_most_at_risk

from .models import Notification

Kind = Notification.Kind


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _week_goal_minutes(enrollment: Enrollment, week) -> int:
    days = [week.starts_on + dt.timedelta(days=offset) for offset in range(7)]
    return sum(int((enrollment.weekend_goal_hours if day.weekday() >= 5 else enrollment.weekday_goal_hours) * 60) for day in days)


def contexts_for_chunk(*, kind: str, cohort: Cohort, number: int, ids: list[int], now: dt.datetime) -> list[dict]:
    """Each recipient's email data; `number` is the occasion's: days before the cut-off, or the course week."""
    if kind == Kind.STAFF_DIGEST:
        users = list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))
        shared = staff_digest_context(cohort=cohort, now=now)
        return [{**shared, "recipient": user} for user in users]
    enrollments = list(Enrollment.objects.filter(pk__in=ids, cohort=cohort).select_related("user", "cohort").order_by("pk"))
    if not enrollments:
        return []
    standings = standings_for_many(enrollments=enrollments, now=now)
    # The same for everyone in the chunk: worked out once, not once per email.
    links = {"dashboard_url": _link("progress:dashboard")}
    if kind == Kind.DEADLINE_REMINDER:
        links["plan_url"] = _link("progress:schedule")
        return [_reminder_context(enrollment=e, standing=standings[e.pk], days_before=number, links=links) for e in enrollments]
    last_week = week_of_number(cohort=cohort, number=number - 1)
    links["summary_url"] = _link("progress:summary_write", week=last_week.number)
    links["community_url"] = _link("progress:community_summaries")
    written = set(
        WeeklySummary.objects.filter(enrollment__in=enrollments, week_number=last_week.number).values_list("enrollment_id", flat=True)
    )
    shared_count = WeeklySummary.objects.filter(enrollment__cohort=cohort, is_shared=True).count()
    groups = groups_week_for_enrollments(enrollments=enrollments, week_starts_on=last_week.starts_on, week_ends_on=last_week.ends_on)
    return [
        _digest_context(
            enrollment=e, standing=standings[e.pk], last_week=last_week, summary_written=e.pk in written, shared_count=shared_count,
            links=links, group=groups.get(e.pk),
        )
        for e in enrollments
    ]


def _reminder_context(*, enrollment: Enrollment, standing, days_before: int | None, links: dict) -> dict:
    forecast = standing.pace.forecast
    finish = standing.forecast_finish
    cutoff_day = standing.pace.cutoff_day
    return {
        "kind": Kind.DEADLINE_REMINDER,
        "recipient": enrollment.user,
        "enrollment": enrollment,
        "cohort": enrollment.cohort,
        "days_before": days_before,
        "lessons_left": len(standing.lessons) - standing.lessons_done,
        "minutes_left": forecast.remaining_minutes,
        "needed_per_day": forecast.needed_per_day_by_cutoff,
        "forecast_finish": finish,
        "forecast_misses": finish is None or finish > cutoff_day,
        "verdict": standing.verdict,
        "reasons": standing.risk_reason_words,
        "cutoff_local": enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)),
        **links,
    }


def _digest_context(
    *, enrollment: Enrollment, standing, last_week, summary_written: bool, shared_count: int, links: dict, group: dict | None = None
) -> dict:
    in_week = {day: minutes for day, minutes in standing.minutes_by_day.items() if last_week.starts_on <= day <= last_week.ends_on}
    completed = [lesson for lesson in standing.lessons if lesson.completed_on and last_week.starts_on <= lesson.completed_on <= last_week.ends_on]
    return {
        "kind": Kind.STUDENT_DIGEST,
        "recipient": enrollment.user,
        "enrollment": enrollment,
        "cohort": enrollment.cohort,
        "week": last_week,
        "week_minutes": sum(in_week.values()),
        "week_days": len(in_week),
        "goal_minutes": _week_goal_minutes(enrollment, last_week),
        "lessons_completed": completed,
        "lessons_done": standing.lessons_done,
        "lessons_total": len(standing.lessons),
        "streak": streak_days(study_days=set(standing.minutes_by_day), today=standing.today),
        "status": standing.pace.status,
        "forecast_finish": standing.forecast_finish,
        "cutoff_day": standing.pace.cutoff_day,
        "summary_written": summary_written,
        "shared_count": shared_count,
        "group": group,  # {"group", "group_minutes", "place"} or None
        **links,
    }


def staff_digest_context(*, cohort: Cohort, now: dt.datetime) -> dict:
    """The cohort's week for staff: headline with change, top reasons for risk, where students stall."""
    headline = cohort_headline_with_change(cohort=cohort, now=now)
    at_risk = list(StudentRollup.objects.filter(cohort=cohort, at_risk=True).values_list("risk_reasons", "lesson_reached"))
    reasons = [
        (RiskReason(code).label, count) for code, count in Counter(code for codes, _ in at_risk for code in codes).most_common(5)
    ]
    lessons = {lesson.number: lesson for lesson in lessons_in_course_order()}
    stalled = Counter(min(reached + 1, max(lessons)) for _, reached in at_risk).most_common(1)
    return {
        "kind": Kind.STAFF_DIGEST,
        "cohort": cohort,
        "headline": headline.labelled(),
        "at_risk_count": len(at_risk),
        "top_reasons": reasons,
        "stalled_lesson": lessons.get(stalled[0][0]) if stalled else None,
        "stalled_count": stalled[0][1] if stalled else 0,
        "at_risk_url": settings.SITE_URL + reverse("cohort:dashboard") + f"?cohort={cohort.slug}&show=at_risk",
        "groups_at_risk": groups_most_at_risk(cohort=cohort),
        "groups_url": settings.SITE_URL + reverse("cohort:groups") + f"?cohort={cohort.slug}&sort=-risk",
        "emails_given_up": Notification.objects.filter(
            cohort=cohort, state=Notification.State.EXPIRED, dispatched_at__gte=now - dt.timedelta(days=8)
        ).count(),
    }


def notifications_for_enrollment(*, enrollment: Enrollment) -> list[Notification]:
    return list(Notification.objects.filter(enrollment=enrollment).order_by("-created_at"))


def notifications_expired_count(*, cohort: Cohort) -> int:
    """Emails of the cohort given up a day after their time (their chunk never got through)."""
    return Notification.objects.filter(cohort=cohort, state=Notification.State.EXPIRED).count()


def preview_context(*, kind: str, cohort: Cohort, enrollment: Enrollment | None, staff_user, now: dt.datetime) -> dict | None:
    """What an email of `kind` would say now: to `enrollment`'s student, or to `staff_user` for the staff digest."""
    if kind == Kind.STAFF_DIGEST:
        return {**staff_digest_context(cohort=cohort, now=now), "recipient": staff_user}
    if enrollment is None:
        return None
    today = local_today(time_zone=cohort.time_zone, now=now)
    if kind == Kind.DEADLINE_REMINDER:
        number = max((cohort.cutoff_local.date() - today).days, 0)
    else:
        number = max(course_week(cohort=cohort, day=today).number, 2)
    return contexts_for_chunk(kind=kind, cohort=cohort, number=number, ids=[enrollment.pk], now=now)[0]
