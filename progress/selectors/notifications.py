"""What each email says: the data for a chunk of recipients, in a fixed number of queries."""

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from scholarship.timezones import local_today

from ..models import Cohort, Enrollment, Notification, StudentRollup, WeeklySummary
from .cohorts import cohort_headline_with_change
from .students import course_week, lessons_in_course_order, standings_for_many, streak_days

Kind = Notification.Kind


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _week_goal_minutes(enrollment: Enrollment, week) -> int:
    days = [week.starts_on + dt.timedelta(days=offset) for offset in range(7)]
    return sum(int((enrollment.weekend_goal_hours if day.weekday() >= 5 else enrollment.weekday_goal_hours) * 60) for day in days)


def contexts_for_chunk(*, kind: str, cohort: Cohort, occasion: str, ids: list[int], now: dt.datetime) -> list[dict]:
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
        days_before = _occasion_number(occasion)
        return [_reminder_context(enrollment=e, standing=standings[e.pk], days_before=days_before, links=links) for e in enrollments]
    week_number = _occasion_number(occasion)
    last_week = course_week(cohort=cohort, day=cohort.opens_on + dt.timedelta(days=7 * (week_number - 2)))
    links["summary_url"] = _link("progress:summary_write", week=last_week.number)
    links["community_url"] = _link("progress:community_summaries")
    written = set(
        WeeklySummary.objects.filter(enrollment__in=enrollments, week_number=last_week.number).values_list("enrollment_id", flat=True)
    )
    shared_count = WeeklySummary.objects.filter(enrollment__cohort=cohort, is_shared=True).count()
    return [
        _digest_context(
            enrollment=e, standing=standings[e.pk], last_week=last_week, summary_written=e.pk in written, shared_count=shared_count,
            links=links,
        )
        for e in enrollments
    ]


def _occasion_number(occasion: str) -> int | None:
    """The number an occasion key ends with: deadline-7d → 7, digest-week-3 → 3."""
    match = re.search(r"(\d+)d?$", occasion)
    return int(match.group(1)) if match else None


def _reminder_context(*, enrollment: Enrollment, standing, days_before: int | None, links: dict) -> dict:
    forecast = standing.pace.forecast
    reasons = standing.at_risk_reasons(cohort=enrollment.cohort)
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
        "reasons": reasons,
        "cutoff_local": enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)),
        **links,
    }


def _digest_context(*, enrollment: Enrollment, standing, last_week, summary_written: bool, shared_count: int, links: dict) -> dict:
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
        "streak": streak_days(study_days=set(standing.minutes_by_day), today=standing.today),
        "status": standing.pace.status,
        "forecast_finish": standing.forecast_finish,
        "cutoff_day": standing.pace.cutoff_day,
        "summary_written": summary_written,
        "shared_count": shared_count,
        **links,
    }


def staff_digest_context(*, cohort: Cohort, now: dt.datetime) -> dict:
    """The cohort's week for staff: headline with change, top reasons for risk, where students stall."""
    headline = cohort_headline_with_change(cohort=cohort, now=now)
    at_risk = list(StudentRollup.objects.filter(cohort=cohort, at_risk=True).values_list("at_risk_reasons", "lesson_reached"))
    reasons = Counter(
        re.sub(r"\d+", "N", reason) for text, _ in at_risk for reason in text.split("; ") if reason
    ).most_common(5)
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
    }


def notifications_for_enrollment(*, enrollment: Enrollment) -> list[Notification]:
    return list(Notification.objects.filter(enrollment=enrollment).order_by("-created_at"))


def notifications_expired_count(*, cohort: Cohort) -> int:
    """Emails of the cohort given up a day after their time (their chunk never got through)."""
    return Notification.objects.filter(cohort=cohort, state=Notification.State.EXPIRED).count()


__all__ = ["contexts_for_chunk", "notifications_expired_count", "notifications_for_enrollment", "preview_context", "staff_digest_context"]


def preview_context(*, kind: str, cohort: Cohort, enrollment: Enrollment | None, staff_user, now: dt.datetime) -> dict | None:
    """What an email of `kind` would say now: to `enrollment`'s student, or to `staff_user` for the staff digest."""
    if kind == Kind.STAFF_DIGEST:
        return {**staff_digest_context(cohort=cohort, now=now), "recipient": staff_user}
    if enrollment is None:
        return None
    today = local_today(time_zone=cohort.time_zone, now=now)
    if kind == Kind.DEADLINE_REMINDER:
        occasion = f"deadline-{max((cohort.cutoff_local.date() - today).days, 0)}d"
    else:
        occasion = f"digest-week-{max(course_week(cohort=cohort, day=today).number, 2)}"
    return contexts_for_chunk(kind=kind, cohort=cohort, occasion=occasion, ids=[enrollment.pk], now=now)[0]
