"""Reading groups: the browse list, who may open a group, the group page, the dashboard's card, mentors' groups."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from common.timezones import local_today
from progress.models import Cohort, Enrollment, WeeklySummary
from progress.selectors.standing import standings_for_many
from progress.standing import course_week, streak_days

from .models import Membership, Mentorship, StudyGroup

BROWSE_PAGE_SIZE = 30
SUMMARIES_SHOWN = 10


def groups_for_browse(*, cohort: Cohort, q: str = "", utc_offset: int | None = None, pace: int | None = None) -> QuerySet[StudyGroup]:
    """The cohort's open groups, searchable by name, time-zone band (±3 h) and pace (hours a week, ±25 %)."""
    groups = StudyGroup.objects.filter(cohort=cohort, is_open=True).annotate(members=Count("memberships"))
    if q:
        groups = groups.filter(name__icontains=q)
    if utc_offset is not None:
        groups = groups.filter(utc_offset__gte=utc_offset - 3, utc_offset__lte=utc_offset + 3)
    if pace is not None:
        groups = groups.filter(weekly_goal_hours__gte=pace * 0.75, weekly_goal_hours__lte=pace * 1.25)
    return groups.order_by("name", "pk")


def membership_for_enrollment(*, enrollment: Enrollment) -> Membership | None:
    return Membership.objects.select_related("group").filter(enrollment=enrollment).first()


def mentor_group_ids(*, user) -> list[int]:
    return list(Mentorship.objects.filter(mentor=user).values_list("group_id", flat=True))


def member_enrollment_ids(*, group_ids: list[int]) -> list[int]:
    return list(Membership.objects.filter(group_id__in=group_ids).values_list("enrollment_id", flat=True))


def enrollment_mentored_by(*, user, enrollment_id: int) -> Enrollment:
    """A student in one of the user's mentored groups; 404 for anyone else's."""
    enrollment = (
        Enrollment.objects.select_related("user", "cohort")
        .filter(pk=enrollment_id, group_membership__group__mentorships__mentor=user).first()
    )
    if enrollment is None:
        raise Http404("No such member of your groups.")
    return enrollment


def _group(*, group_id: int) -> StudyGroup:
    group = StudyGroup.objects.select_related("cohort").filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group.")
    return group


def _may_edit_note(*, group: StudyGroup, user, is_mentor: bool) -> bool:
    """Staff, the group's mentors and the member who made it may change its note."""
    return user.is_staff or is_mentor or (group.owner_id is not None and group.owner_id == user.pk)


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    name: str
    hidden: bool  # hidden from whoever is looking: the numbers below are None
    week_minutes: int | None
    lessons_done: int | None
    streak_days: int | None
    plan_status: str | None
    last_active: dt.date | None
    is_you: bool


@dataclass(frozen=True)
class GroupPeople:
    """Who is in the group and who looks: read on every view of the group page."""

    memberships: list[Membership]  # with each enrollment, its user and cohort, by name
    mentors: list
    your_membership: Membership | None
    can_edit_note: bool
    is_mentor: bool


@dataclass(frozen=True)
class GroupTable:
    """The member table and the shared summaries: drawn once and reused under group_table_key."""

    members: list[MemberRow]
    week_minutes: int
    goal_minutes: int
    summaries: list[WeeklySummary]


# Each member's numbers, computed from their standing, are reused while they have not written (their version is in
# the key) within the same quarter hour (so a member's new day begins within 15 minutes); stored as plain data. One
# member's write recomputes that member's numbers alone.
NUMBERS_CACHE_SHAPE = "v2"
NUMBERS_CACHE_SECONDS = 900


def _numbers_stamp(now: dt.datetime) -> int:
    return int(now.timestamp()) // NUMBERS_CACHE_SECONDS


def _members_numbers(*, enrollments: list[Enrollment], now: dt.datetime) -> dict[int, tuple]:
    """{enrollment id: (minutes this course week, lessons done, streak days, plan status words, last active ISO day)}:
    one cache read for all, and the standings of those not cached in four queries."""
    stamp = _numbers_stamp(now)
    keys = {e.pk: f"member-numbers:{NUMBERS_CACHE_SHAPE}:{e.pk}.{e.dashboard_version}:{stamp}" for e in enrollments}
    cached = cache.get_many(list(keys.values()))
    numbers = {pk: tuple(cached[key]) for pk, key in keys.items() if key in cached}
    missing = [e for e in enrollments if e.pk not in numbers]
    if missing:
        fresh = {}
        for pk, standing in standings_for_many(enrollments=missing, now=now).items():
            week = standing.week
            fresh[pk] = (
                sum(m for day, m in standing.minutes_by_day.items() if week.starts_on <= day <= week.ends_on),
                standing.lessons_done,
                streak_days(study_days=set(standing.minutes_by_day), today=standing.today),
                standing.pace.status,
                standing.last_study_day.isoformat() if standing.last_study_day else None,
            )
        cache.set_many({keys[pk]: list(values) for pk, values in fresh.items()}, NUMBERS_CACHE_SECONDS)
        numbers.update(fresh)
    return numbers


def group_people(*, group: StudyGroup, user) -> GroupPeople:
    """The members and the mentors, in two queries however many there are."""
    memberships = list(
        Membership.objects.filter(group=group).select_related("enrollment__user", "enrollment__cohort").order_by("enrollment__user__full_name", "pk")
    )
    mentors = [m.mentor for m in Mentorship.objects.filter(group=group).select_related("mentor").order_by("mentor__full_name")]
    is_mentor = any(mentor.pk == user.pk for mentor in mentors)
    return GroupPeople(
        memberships=memberships, mentors=mentors,
        your_membership=next((m for m in memberships if m.enrollment.user_id == user.pk), None),
        can_edit_note=_may_edit_note(group=group, user=user, is_mentor=is_mentor), is_mentor=is_mentor,
    )


def group_and_people_for_user(*, user, group_id: int) -> tuple[StudyGroup, GroupPeople]:
    """A group and its people for those who may open it: its members, its mentors and staff. Anyone else gets 404, as
    if it did not exist. The rule is read off the members and mentors the group page shows anyway."""
    group = _group(group_id=group_id)
    people = group_people(group=group, user=user)
    if not (user.is_staff or people.your_membership or people.is_mentor):
        raise Http404("No such group.")
    return group, people


def group_table_key(*, group: StudyGroup, memberships: list[Membership], user, now: dt.datetime) -> str:
    """Names one drawing of the member table and summaries, with no query: it moves with any member's write (their
    versions; a shared summary is one), a member joining, leaving, hiding their numbers or renaming, the group's goal,
    who is looking (their own row, and staff see hidden numbers), and the numbers' quarter hour (_members_numbers)."""
    stamp = _numbers_stamp(now)
    members = "|".join(
        f"{m.pk}.{m.enrollment_id}.{m.enrollment.dashboard_version}.{int(m.hides_numbers)}.{m.enrollment.user.full_name}" for m in memberships
    )
    seen = f"{group.weekly_goal_hours}|{user.pk}|{int(user.is_staff)}|{members}"
    return f"{group.pk}:{stamp}:{hashlib.sha256(seen.encode()).hexdigest()[:24]}"


def group_table(*, group: StudyGroup, memberships: list[Membership], user, now: dt.datetime | None = None) -> GroupTable:
    """Each member's numbers (hidden from other members if they chose so), the week's total against the goal, and the
    latest shared summaries: the standings' cache or four queries, and one for the summaries."""
    now = now or timezone.now()
    enrollments = [m.enrollment for m in memberships]
    numbers = _members_numbers(enrollments=enrollments, now=now) if enrollments else {}
    rows, week_total = [], 0
    for membership in memberships:
        week_minutes, lessons_done, streak, status, last_active = numbers[membership.enrollment_id]
        week_total += week_minutes
        is_you = membership.enrollment.user_id == user.pk
        hidden = membership.hides_numbers and not is_you and not user.is_staff
        rows.append(
            MemberRow(
                membership=membership, name=membership.enrollment.user.full_name or "(no name)", hidden=hidden,
                week_minutes=None if hidden else week_minutes,
                lessons_done=None if hidden else lessons_done,
                streak_days=None if hidden else streak,
                plan_status=None if hidden else status,
                last_active=None if hidden or last_active is None else dt.date.fromisoformat(last_active),
                is_you=is_you,
            )
        )
    summaries = list(
        WeeklySummary.objects.filter(enrollment__in=enrollments, is_shared=True).defer("body")  # the page shows the HTML only
        .select_related("enrollment__user").order_by("-updated_at")[:SUMMARIES_SHOWN]
    ) if enrollments else []
    return GroupTable(
        members=rows, week_minutes=week_total, goal_minutes=group.weekly_goal_hours * 60 * len(memberships), summaries=summaries,
    )


@dataclass(frozen=True)
class GroupCard:
    group: StudyGroup
    week_minutes: int
    goal_minutes: int
    members: int
    place: int | None  # the student's place by hours this week, if they chose to see it


def group_card(*, enrollment: Enrollment, now: dt.datetime | None = None) -> GroupCard | None:
    """The dashboard's card: the group's hours this course week (two queries; one without a group)."""
    week = course_week(cohort=enrollment.cohort, day=local_today(time_zone=enrollment.time_zone, now=now))
    numbers = groups_week_for_enrollments(enrollments=[enrollment], week_starts_on=week.starts_on, week_ends_on=week.ends_on)
    if enrollment.pk not in numbers:
        return None
    mine = numbers[enrollment.pk]
    return GroupCard(
        group=mine["group"], week_minutes=mine["group_minutes"], goal_minutes=mine["goal_minutes"], members=mine["members"],
        place=mine["place"],
    )


def groups_mentored(*, user) -> list[StudyGroup]:
    return list(StudyGroup.objects.filter(mentorships__mentor=user).annotate(members=Count("memberships")).order_by("name"))


def groups_week_for_enrollments(*, enrollments: list[Enrollment], week_starts_on: dt.date, week_ends_on: dt.date) -> dict[int, dict]:
    """Each enrollment's group and that group's week: {"group", "group_minutes", "members", "goal_minutes", "place"}
    (the place by minutes that week, only for a student who chose to see it), for any number of students in two
    queries. The dashboard's card asks for this week; the weekly digest for the week just ended."""
    memberships = {m.enrollment_id: m for m in Membership.objects.filter(enrollment__in=enrollments).select_related("group").order_by()}
    if not memberships:
        return {}
    in_week = Q(enrollment__study_logs__day__range=(week_starts_on, week_ends_on))
    rows = (
        Membership.objects.filter(group_id__in={m.group_id for m in memberships.values()}).order_by()
        .values_list("group_id", "enrollment_id").annotate(minutes=Sum("enrollment__study_logs__minutes", filter=in_week))
    )
    by_group: dict[int, dict[int, int]] = {}
    for group_id, enrollment_id, minutes in rows:
        by_group.setdefault(group_id, {})[enrollment_id] = minutes or 0
    out = {}
    for enrollment_id, membership in memberships.items():
        minutes = by_group.get(membership.group_id, {})
        mine = minutes.get(enrollment_id, 0)
        out[enrollment_id] = {
            "group": membership.group,
            "group_minutes": sum(minutes.values()),
            "members": len(minutes),
            "goal_minutes": membership.group.weekly_goal_hours * 60 * len(minutes),
            "place": 1 + sum(1 for value in minutes.values() if value > mine) if membership.shows_place else None,
        }
    return out
