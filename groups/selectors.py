"""Reading groups: the browse list, who may open a group, the group page, the dashboard's card, mentors' groups."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from common.timezones import local_today
from progress.models import Cohort, Enrollment, StudentRollup, StudyLog, WeeklySummary
from progress.selectors.numbers import rollup_status, standings_for_many
from progress.course_days import course_week, streak_days

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
    can_rename: bool  # staff and the member who made the group


@dataclass(frozen=True)
class GroupTable:
    """The member table and the shared summaries, rendered from the members' rows on every view."""

    members: list[MemberRow]
    week_minutes: int  # of the members who show their numbers
    goal_minutes: int  # theirs
    not_counted: int  # members who hide their numbers: in no total, for anyone
    summaries: list[WeeklySummary]


def _members_numbers(*, enrollments: list[Enrollment], now: dt.datetime) -> dict[int, tuple]:
    """{enrollment id: (minutes this course week, lessons done, streak days, plan status words, last study day)}, in
    three queries however many members there are: their stored numbers (the rollups, kept on write) and their study
    minutes by day; each member's week, streak and plan status are worked out on their own today."""
    rollups = {r.enrollment_id: r for r in StudentRollup.objects.filter(enrollment__in=enrollments).order_by()}
    missing = [e for e in enrollments if e.pk not in rollups]
    standings = standings_for_many(enrollments=missing, now=now) if missing else {}  # never written on a read
    by_day: dict[int, dict[dt.date, int]] = {e.pk: {} for e in enrollments}
    for pk, day, minutes in (
        StudyLog.objects.filter(enrollment__in=enrollments, minutes__gt=0).order_by()
        .values_list("enrollment_id", "day").annotate(total=Sum("minutes")).values_list("enrollment_id", "day", "total")
    ):
        by_day[pk][day] = minutes
    numbers = {}
    for enrollment in enrollments:
        status = standings[enrollment.pk].status if enrollment.pk in standings else rollup_status(
            rollup=rollups[enrollment.pk], enrollment=enrollment, now=now
        )
        week = course_week(cohort=enrollment.cohort, day=status.today)
        days = by_day[enrollment.pk]
        numbers[enrollment.pk] = (
            sum(m for day, m in days.items() if week.starts_on <= day <= week.ends_on),
            status.numbers.lessons_done,
            streak_days(study_days=set(days), today=status.today),
            status.plan_words,
            status.numbers.last_study_day,
        )
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
        can_rename=user.is_staff or (group.owner_id is not None and group.owner_id == user.pk),
    )


def group_and_people_for_user(*, user, group_id: int) -> tuple[StudyGroup, GroupPeople]:
    """A group and its people for those who may open it: its members, its mentors and staff. Anyone else gets 404, as
    if it did not exist. The rule is read off the members and mentors the group page shows anyway."""
    group = _group(group_id=group_id)
    people = group_people(group=group, user=user)
    if not (user.is_staff or people.your_membership or people.is_mentor):
        raise Http404("No such group.")
    return group, people


def group_table(*, group: StudyGroup, memberships: list[Membership], user, now: dt.datetime | None = None) -> GroupTable:
    """Each member's numbers (hidden from other members if they chose so), the week's total against the goal, and the
    latest shared summaries: a fixed number of queries for the standings, and one for the summaries. The total and
    the goal leave out whoever hides their numbers, for everyone who looks: with every other row shown, a total that
    counted them would give their hours away by subtraction."""
    now = now or timezone.now()
    enrollments = [m.enrollment for m in memberships]
    numbers = _members_numbers(enrollments=enrollments, now=now) if enrollments else {}
    rows, week_total = [], 0
    for membership in memberships:
        week_minutes, lessons_done, streak, status, last_active = numbers[membership.enrollment_id]
        if not membership.hides_numbers:
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
                last_active=None if hidden else last_active,
                is_you=is_you,
            )
        )
    summaries = list(
        WeeklySummary.objects.filter(enrollment__in=enrollments, is_shared=True).defer("body")  # the page shows the HTML only
        .select_related("enrollment__user").order_by("-updated_at")[:SUMMARIES_SHOWN]
    ) if enrollments else []
    counted = sum(1 for m in memberships if not m.hides_numbers)
    return GroupTable(
        members=rows, week_minutes=week_total, goal_minutes=group.weekly_goal_hours * 60 * counted,
        not_counted=len(memberships) - counted, summaries=summaries,
    )


@dataclass(frozen=True)
class GroupCard:
    group: StudyGroup
    week_minutes: int  # of the members who show their numbers
    goal_minutes: int  # theirs
    members: int
    place: int | None  # the student's place by hours, if they chose to see it
    ranked: int  # how many that place is among: those who show their numbers, and the student
    not_counted: int  # members who hide their numbers
    you_hide: bool
    last_week: bool  # the new week has nothing yet: these are last week's numbers


def group_card(*, enrollment: Enrollment, now: dt.datetime | None = None) -> GroupCard | None:
    """The dashboard's card: the group's hours this course week, or last week's until this week has some (two
    queries; one without a group)."""
    week = course_week(cohort=enrollment.cohort, day=local_today(time_zone=enrollment.time_zone, now=now))
    weeks = [(week.starts_on, week.ends_on)]
    if week.number > 1:
        weeks.append((week.starts_on - dt.timedelta(days=7), week.starts_on - dt.timedelta(days=1)))
    numbers = _groups_weeks(enrollments=[enrollment], weeks=weeks)
    if enrollment.pk not in numbers:
        return None
    this_week = numbers[enrollment.pk][0]
    last_week = len(weeks) > 1 and not this_week["group_minutes"] and numbers[enrollment.pk][1]["group_minutes"] > 0
    shown = numbers[enrollment.pk][1] if last_week else this_week
    return GroupCard(
        group=shown["group"], week_minutes=shown["group_minutes"], goal_minutes=shown["goal_minutes"], members=shown["members"],
        place=shown["place"], ranked=shown["ranked"], not_counted=shown["not_counted"], you_hide=shown["you_hide"], last_week=last_week,
    )


def groups_mentored(*, user) -> list[StudyGroup]:
    return list(StudyGroup.objects.filter(mentorships__mentor=user).annotate(members=Count("memberships")).order_by("name"))


def groups_week_for_enrollments(*, enrollments: list[Enrollment], week_starts_on: dt.date, week_ends_on: dt.date) -> dict[int, dict]:
    """Each enrollment's group and that group's week: {"group", "group_minutes", "members", "goal_minutes", "place"}
    (the place by minutes that week, only for a student who chose to see it), and "ranked", "not_counted" and
    "you_hide" (see _group_week), for any number of students in two queries. The dashboard's card asks for this week;
    the weekly digest for the week just ended."""
    return {pk: weeks[0] for pk, weeks in _groups_weeks(enrollments=enrollments, weeks=[(week_starts_on, week_ends_on)]).items()}


def _groups_weeks(*, enrollments: list[Enrollment], weeks: list[tuple[dt.date, dt.date]]) -> dict[int, list[dict]]:
    """{enrollment id: [its group's numbers in each of `weeks`]}, in two queries however many students and weeks."""
    memberships = {m.enrollment_id: m for m in Membership.objects.filter(enrollment__in=enrollments).select_related("group").order_by()}
    if not memberships:
        return {}
    sums = {
        f"week_{index}": Sum("enrollment__study_logs__minutes", filter=Q(enrollment__study_logs__day__range=week))
        for index, week in enumerate(weeks)
    }
    rows = (
        Membership.objects.filter(group_id__in={m.group_id for m in memberships.values()}).order_by()
        .values("group_id", "enrollment_id", "hides_numbers").annotate(**sums)
    )
    by_group: dict[int, dict[int, tuple[bool, list[int]]]] = {}
    for row in rows:
        by_group.setdefault(row["group_id"], {})[row["enrollment_id"]] = (
            row["hides_numbers"], [row[f"week_{index}"] or 0 for index in range(len(weeks))],
        )
    out = {}
    for enrollment_id, membership in memberships.items():
        members = by_group.get(membership.group_id, {})
        out[enrollment_id] = [
            _group_week(membership=membership, members={pk: (hides, minutes[index]) for pk, (hides, minutes) in members.items()})
            for index in range(len(weeks))
        ]
    return out


def _group_week(*, membership: Membership, members: dict[int, tuple[bool, int]]) -> dict:
    """One group's week as one member is shown it. A member who hides their numbers is in no total and no place
    shown to anyone, so no subtraction gives their hours: the total and the goal are those of the members who show
    theirs ("not_counted" says how many do not). The member's own place is among those, and themself whether they
    hide or not ("ranked": among how many)."""
    counted = {pk: minutes for pk, (hides, minutes) in members.items() if not hides}
    mine = members.get(membership.enrollment_id, (False, 0))[1]
    others = [minutes for pk, minutes in counted.items() if pk != membership.enrollment_id]
    return {
        "group": membership.group,
        "group_minutes": sum(counted.values()),
        "members": len(members),
        "goal_minutes": membership.group.weekly_goal_hours * 60 * len(counted),
        "place": 1 + sum(1 for minutes in others if minutes > mine) if membership.shows_place else None,
        "ranked": len(others) + 1,
        "not_counted": len(members) - len(counted),
        "you_hide": membership.hides_numbers,
    }
