"""Staff's view of the study groups, and a mentor's list of who needs a hand, from the rollups.

Callers bring the rollups up to date first (review.services.rollups.rollups_up_to_date).
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from groups.models import StudyGroup
from progress.models import Cohort

from ..models import StudentRollup


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


def cohort_group_numbers(*, cohort: Cohort) -> list[GroupNumbers]:
    """Every group of the cohort with its members' hours and at-risk count (two queries whatever the size)."""
    per_group = {
        row["enrollment__group_membership__group_id"]: row
        for row in StudentRollup.objects.filter(cohort=cohort, enrollment__group_membership__isnull=False)
        .order_by().values("enrollment__group_membership__group_id")
        .annotate(members=Count("pk"), at_risk=Count("pk", filter=Q(at_risk=True)), week=Sum("minutes_last_7_days"), total=Sum("total_minutes"))
    }
    groups = StudyGroup.objects.filter(cohort=cohort).annotate(mentors=Count("mentorships")).order_by("name").values_list("pk", "name", "mentors")
    return [
        GroupNumbers(
            group_id=pk, name=name, members=per_group.get(pk, {}).get("members", 0), at_risk=per_group.get(pk, {}).get("at_risk", 0),
            minutes_last_7_days=per_group.get(pk, {}).get("week") or 0, total_minutes=per_group.get(pk, {}).get("total") or 0,
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


def groups_most_at_risk(*, cohort: Cohort, count: int = 5, min_members: int = 3) -> list[GroupNumbers]:
    """The groups with the highest at-risk share (groups of at least `min_members`, so one idle pair does not lead)."""
    numbers = [g for g in cohort_group_numbers(cohort=cohort) if g.members >= min_members and g.at_risk]
    return sorted(numbers, key=lambda g: (-g.at_risk_share, -g.at_risk, g.name))[:count]


def mentor_members_at_risk(*, group_ids: list[int]) -> QuerySet[StudentRollup]:
    """The mentor's groups' members at risk, longest idle first (never active first)."""
    return (
        StudentRollup.objects.filter(at_risk=True, enrollment__group_membership__group_id__in=group_ids)
        .select_related("cohort", "enrollment__user", "enrollment__group_membership__group")
        .order_by(F("last_study_day").asc(nulls_first=True), "enrollment_id")
    )
