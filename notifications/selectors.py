"""What each email says: the data for a chunk of recipients, in a fixed number of queries."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from common.timezones import local_today
from events.selectors import events_going_soon
from groups.models import Mentorship
from groups.selectors import groups_week_for_enrollments
from lessons.selectors import lessons_in_course_order
from progress.models import Cohort, Enrollment, WeeklySummary
from progress.selectors.reflection import week_of_number
from progress.selectors.numbers import standings_for_many
from progress.course_days import course_week
from progress.standing import RiskReason, Verdict
from review.columns import with_status
from review.headline import HeadlineChange
from review.models import CohortSnapshot
from review.selectors.cohorts import cohort_headline_with_change, cohort_rollups, cohort_today
from review.selectors.groups import groups_most_at_risk, mentor_members_at_risk

from .models import Notification
from .occasions import nudge_key

Kind = Notification.Kind


WEEK = dt.timedelta(days=7)
EVENTS_AHEAD = dt.timedelta(days=7)  # the digest's "coming up": events they will come to in the next 7 days


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
        mentoring = mentor_sections(user_ids=[user.pk for user in users], now=now)
        return [{**shared, "recipient": user, "mentoring": mentoring.get(user.pk)} for user in users]
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
    links["events_url"] = _link("events:list")
    events = events_going_soon(enrollment_ids=[e.pk for e in enrollments], starts_after=now, starts_before=now + EVENTS_AHEAD)
    mentoring = mentor_sections(user_ids=[e.user_id for e in enrollments], now=now)
    return [
        _digest_context(
            enrollment=e, standing=standings[e.pk], last_week=last_week, summary_written=e.pk in written, shared_count=shared_count,
            links=links, group=groups.get(e.pk), events=events.get(e.pk, []), mentoring=mentoring.get(e.user_id),
        )
        for e in enrollments
    ]


def _reminder_context(*, enrollment: Enrollment, standing, days_before: int | None, links: dict) -> dict:
    """The 14-, 7-, 1-day reminder: the verdict, the pace of the last 7 days (minutes a day, as the verdict reads it),
    the daily time that still finishes by the cut-off, and, for a student behind their plan, the way to re-plan."""
    status = standing.status
    ahead = status.days_ahead
    return {
        "kind": Kind.DEADLINE_REMINDER,
        "recipient": enrollment.user,
        "enrollment": enrollment,
        "cohort": enrollment.cohort,
        "days_before": days_before,
        "lessons_left": len(standing.lessons) - status.numbers.lessons_done,
        "minutes_left": status.numbers.remaining_minutes,
        "needed_per_day": standing.needed_per_day_by_cutoff,
        "forecast_finish": status.forecast,
        "forecast_misses": status.forecast_misses_cutoff,
        "pace_per_day": status.pace_7_days,
        # A late finish is the verdict's reason, with its forecast in the headline: the pace line does not repeat it.
        "forecast_in_headline": RiskReason.LATE in status.reasons,
        "has_plan": ahead is not None,
        "days_behind_plan": -ahead if ahead is not None and ahead < 0 else 0,
        "status": status,
        "verdict": status.verdict,
        "reasons": status.reason_words,
        "cutoff_local": enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)),
        **links,
    }


def _digest_context(
    *, enrollment: Enrollment, standing, last_week, summary_written: bool, shared_count: int, links: dict, group: dict | None = None,
    events: list | None = None, mentoring: dict | None = None,
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
        "lessons_done": standing.status.numbers.lessons_done,
        "lessons_total": len(standing.lessons),
        "streak": standing.streak_days,
        "status": standing.status,
        "plan_words": standing.status.plan_words,
        # The forecast, unless the verdict's headline says it already (a late finish is its reason).
        "forecast_finish": None if RiskReason.LATE in standing.status.reasons else standing.status.forecast,
        "cutoff_day": standing.cutoff_day,
        "summary_written": summary_written,
        "shared_count": shared_count,
        "group": group,  # {"group", "group_minutes", "place"} or None
        "events": events or [],  # the events they said they will come to in the next 7 days
        "mentoring": mentoring,  # for a student who mentors groups: see mentor_sections
        **links,
    }


def _headline_with_change(*, cohort: Cohort, now: dt.datetime) -> HeadlineChange:
    """The headline with its change since the snapshot of a week ago, as the cohort page shows it. When that day has
    no snapshot (the worker was down all that day, or snapshots began later), the latest snapshot of the week before
    it stands in, and the digest names its day: a change over eight or ten days, said so, beats a column of dashes."""
    headline = cohort_headline_with_change(cohort=cohort, now=now)
    if headline.week_ago is None:
        week_ago = cohort_today(cohort=cohort, now=now) - WEEK
        older = CohortSnapshot.objects.filter(cohort=cohort, day__lt=week_ago, day__gte=week_ago - WEEK).order_by("-day").first()
        if older is not None:
            headline = HeadlineChange(now=headline.now, week_ago=older)
    return headline


def staff_digest_context(*, cohort: Cohort, now: dt.datetime) -> dict:
    """The cohort's week for staff: headline with change, top reasons for risk, where students stall."""
    headline = _headline_with_change(cohort=cohort, now=now)
    # The at-risk students' rows, each with the verdict's reasons worked out on their today (the same function
    # as every page): a few thousand rollups at most, read once for the week's email.
    at_risk = [
        rollup.status
        for rollup in with_status(
            cohort_rollups(cohort=cohort, now=now).filter(verdict=Verdict.AT_RISK.value).select_related("enrollment").order_by("pk"),
            cohort, now=now,
        )
    ]
    reasons = [
        (RiskReason(code).label, count) for code, count in Counter(code for status in at_risk for code in status.reasons).most_common(5)
    ]
    lessons = {lesson.number: lesson for lesson in lessons_in_course_order()}
    stalled = Counter(min(status.numbers.lesson_reached + 1, max(lessons)) for status in at_risk).most_common(1)
    return {
        "kind": Kind.STAFF_DIGEST,
        "cohort": cohort,
        "headline": headline.labelled(),
        "compared_with": headline.week_ago.day if headline.week_ago else None,
        "a_week_ago": cohort_today(cohort=cohort, now=now) - WEEK,
        # Without a snapshot to compare with, the digest says why: none yet, begun since, or none that week.
        "first_snapshot": None if headline.week_ago else (
            CohortSnapshot.objects.filter(cohort=cohort).order_by("day").values_list("day", flat=True).first()
        ),
        "at_risk_count": len(at_risk),
        "top_reasons": reasons,
        "stalled_lesson": lessons.get(stalled[0][0]) if stalled else None,
        "stalled_count": stalled[0][1] if stalled else 0,
        "at_risk_url": settings.SITE_URL + reverse("cohort:dashboard") + f"?cohort={cohort.slug}&show=at_risk",
        "groups_at_risk": groups_most_at_risk(cohort=cohort, now=now),
        "groups_url": settings.SITE_URL + reverse("cohort:groups") + f"?cohort={cohort.slug}&sort=-risk",
        "emails_given_up": Notification.objects.filter(
            cohort=cohort, state=Notification.State.EXPIRED, dispatched_at__gte=now - dt.timedelta(days=8)
        ).count(),
    }


MENTOR_NAMES_SHOWN = 8


def mentor_sections(*, user_ids: list[int], now: dt.datetime) -> dict[int, dict]:
    """For those of `user_ids` who mentor groups: {"groups", "at_risk" (rollups, longest idle first), "names" (the first
    few), "more", "mentor_url"}; the digests' words to a mentor about their mentees. Two queries for any chunk."""
    mentorships = list(Mentorship.objects.filter(mentor_id__in=user_ids).select_related("group__cohort").order_by("group__name", "group_id"))
    if not mentorships:
        return {}
    at_risk = mentor_members_at_risk(groups=list({m.group_id: m.group for m in mentorships}.values()), now=now)
    url = _link("mentor")
    sections: dict[int, dict] = {}
    for mentorship in mentorships:
        sections.setdefault(mentorship.mentor_id, {"groups": [], "at_risk": [], "mentor_url": url})["groups"].append(mentorship.group)
    for section in sections.values():
        group_ids = {group.pk for group in section["groups"]}
        section["at_risk"] = [r for r in at_risk if r.enrollment.group_membership.group_id in group_ids]
        section["names"] = [r.enrollment.user.full_name or "a member" for r in section["at_risk"][:MENTOR_NAMES_SHOWN]]
        section["more"] = len(section["at_risk"]) - len(section["names"])
    return sections


NUDGES_SHOWN_DAYS = 14
NUDGES_SHOWN = 50


def nudge_of_day(*, enrollment: Enrollment, now: dt.datetime | None = None) -> Notification | None:
    """The nudge the student had on their today, if any (one a day, whichever mentor sent it), with its mentor."""
    day = local_today(time_zone=enrollment.time_zone, now=now)
    return Notification.objects.filter(
        recipient_id=enrollment.user_id, cohort_id=enrollment.cohort_id, kind=Kind.NUDGE, occasion=nudge_key(day=day)
    ).select_related("sender").first()


def nudges_for_groups(*, group_ids: list[int], now: dt.datetime | None = None) -> list[Notification]:
    """The nudges of the last two weeks to members of these groups, newest first: who nudged whom and when (one query),
    so the mentors of a group see each other's."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            kind=Kind.NUDGE, enrollment__group_membership__group_id__in=group_ids,
            created_at__gte=now - dt.timedelta(days=NUDGES_SHOWN_DAYS),
        ).select_related("sender", "enrollment__user").order_by("-created_at", "-pk")[:NUDGES_SHOWN]
    )


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
