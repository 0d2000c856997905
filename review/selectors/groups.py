"""Staff's view of the study groups, and a mentor's list of who needs a hand, from the rollups (kept current on
write) and the one verdict, worked out on each student's today as the page is read."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from common.timezones import local_today
from groups.models import StudyGroup
from progress.models import Cohort, StudentRollup, StudyLog
from progress.selectors.numbers import rollup_numbers
from progress.standing import Rules, Status, Verdict, status_on

from .cohorts import cohort_rollups, cohort_today


@dataclass(frozen=True)
class GroupNumbers:
    group_id: int
    name: str
    members: int
    at_risk: int
    minutes_last_7_days: int
    total_minutes: int
    mentors: int

    @property
    def at_risk_share(self) -> float:
        return self.at_risk / self.members if self.members else 0.0

    @property
    def week_minutes_per_member(self) -> int:
        return self.minutes_last_7_days // self.members if self.members else 0

    @property
    def total_minutes_per_member(self) -> int:
        return self.total_minutes // self.members if self.members else 0


# ?sort= keys of the groups table, each the GroupNumbers value it sorts by.
GROUP_SORTS = {
    "name": lambda g: g.name.lower(),
    "members": lambda g: g.members,
    "week": lambda g: g.week_minutes_per_member,
    "total": lambda g: g.total_minutes_per_member,
    "risk": lambda g: g.at_risk_share,
}


def cohort_group_numbers(*, cohort: Cohort, now: dt.datetime | None = None) -> list[GroupNumbers]:
    """Every group of the cohort with its members' hours and at-risk count (four queries whatever the size).

    "Last 7 days" is the programme's last 7 days here (one aggregate over the cohort's recent logs), so every
    group is measured over the same days.
    """
    per_group = {
        row["enrollment__group_membership__group_id"]: row
        for row in cohort_rollups(cohort=cohort, now=now).filter(enrollment__group_membership__isnull=False)
        .order_by().values("enrollment__group_membership__group_id")
        .annotate(members=Count("pk"), at_risk=Count("pk", filter=Q(verdict=Verdict.AT_RISK.value)), total=Sum("total_minutes"))
    }
    week_ago = cohort_today(cohort=cohort, now=now) - dt.timedelta(days=6)
    week = dict(
        StudyLog.objects.filter(enrollment__cohort=cohort, day__gte=week_ago, enrollment__group_membership__isnull=False)
        .order_by().values("enrollment__group_membership__group_id").annotate(week=Sum("minutes"))
        .values_list("enrollment__group_membership__group_id", "week")
    )
    groups = StudyGroup.objects.filter(cohort=cohort).annotate(mentors=Count("mentorships")).order_by("name").values_list("pk", "name", "mentors")
    return [
        GroupNumbers(
            group_id=pk, name=name, members=per_group.get(pk, {}).get("members", 0), at_risk=per_group.get(pk, {}).get("at_risk", 0),
            minutes_last_7_days=week.get(pk) or 0, total_minutes=per_group.get(pk, {}).get("total") or 0,
            mentors=mentors,
        )
        for pk, name, mentors in groups
    ]


RISK_SHARE_BUCKETS = 10  # 0-10 % of members at risk, 10-20 %, ...


def groups_by_risk_share(numbers: list[GroupNumbers]) -> list[tuple[str, int]]:
    """How many groups (with members) have 0-10 % of their members at risk, 10-20 %, ...: the groups view's chart."""
    counts = [0] * RISK_SHARE_BUCKETS
    for group in numbers:
        if group.members:
            counts[min(int(group.at_risk_share * RISK_SHARE_BUCKETS), RISK_SHARE_BUCKETS - 1)] += 1
    step = 100 // RISK_SHARE_BUCKETS
    return [(f"{step * i}–{step * (i + 1)} %", count) for i, count in enumerate(counts)]


def cohort_group_choices(*, cohort: Cohort) -> list[tuple[int, str]]:
    return list(StudyGroup.objects.filter(cohort=cohort).order_by("name").values_list("pk", "name"))


def groups_most_at_risk(*, cohort: Cohort, count: int = 5, min_members: int = 3, now: dt.datetime | None = None) -> list[GroupNumbers]:
    """The groups with the highest at-risk share on each member's today at `now` (groups of at least `min_members`,
    so one idle pair does not lead)."""
    numbers = [g for g in cohort_group_numbers(cohort=cohort, now=now) if g.members >= min_members and g.at_risk]
    return sorted(numbers, key=lambda g: (-g.at_risk_share, -g.at_risk, g.name))[:count]


def mentor_members_at_risk(*, groups: list[StudyGroup], now: dt.datetime | None = None) -> list[StudentRollup]:
    """The mentor's groups' members at risk on their today, longest idle first (never active first), each with
    `.status`, in two queries whatever the size: every member's stored numbers alone, then the people and groups
    of those at risk only (a mentor of ten groups has 200 members and a few dozen at risk)."""
    cohorts = {group.cohort_id: group.cohort for group in groups}
    at_risk: dict[int, Status] = {}
    for rollup in StudentRollup.objects.filter(enrollment__group_membership__group__in=groups).order_by():
        status = status_on(
            numbers=rollup_numbers(rollup), rules=Rules.of(cohort=cohorts[rollup.cohort_id], time_zone=rollup.time_zone),
            today=local_today(time_zone=rollup.time_zone, now=now),
        )
        if status.at_risk:
            at_risk[rollup.pk] = status
    rows = list(
        StudentRollup.objects.filter(pk__in=list(at_risk)).select_related("enrollment__user", "enrollment__group_membership__group")
    )
    for row in rows:
        row.status = at_risk[row.pk]
    return sorted(rows, key=lambda r: (r.last_study_day is not None, r.last_study_day or dt.date.min, r.enrollment_id))


@dataclass(frozen=True)
class MentorPage:
    groups: list[StudyGroup]  # the groups they mentor, each with `.members`
    members_at_risk: list[StudentRollup]  # each with `.status`, longest idle first
    time_zone: str  # the mentor's own zone when they are a student, else their first group's programme zone


def mentor_page(*, user, enrollment=None, now: dt.datetime | None = None) -> MentorPage:
    """What a mentor's page shows: their groups and those groups' members at risk (three queries whatever the size)."""
    groups = list(
        StudyGroup.objects.filter(mentorships__mentor=user).select_related("cohort").annotate(members=Count("memberships")).order_by("name")
    )
    at_risk = mentor_members_at_risk(groups=groups, now=now) if groups else []
    zone = enrollment.time_zone if enrollment is not None else groups[0].cohort.time_zone if groups else "UTC"
    return MentorPage(groups=groups, members_at_risk=at_risk, time_zone=zone)
