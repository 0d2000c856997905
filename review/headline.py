"""A cohort's headline numbers and how each is worded, defined once for the cohort page, snapshots and the staff digest."""

from dataclasses import dataclass

from .models import CohortSnapshot


@dataclass(frozen=True)
class Headline:
    """`enrolled` is the sum of the four verdicts (at_risk, behind, on_track, finished): each student is in one."""

    enrolled: int
    at_risk: int
    behind: int
    on_track: int
    finished: int
    active_7_days: int
    project_submitted: int


HEADLINE_LABELS = {
    "enrolled": "enrolled",
    "at_risk": "at risk",
    "behind": "behind plan, finishing in time",
    "on_track": "on track",
    "finished": "finished all lessons",
    "active_7_days": "active in the last 7 days",
    "project_submitted": "projects handed in",
}
# The headline fields that split `enrolled` between them (the verdicts), in the cards' order.
VERDICT_BUCKETS = ("at_risk", "behind", "on_track", "finished")


@dataclass(frozen=True)
class HeadlineChange:
    """Today's headline numbers and, where a snapshot from seven days ago exists, the change since."""

    now: Headline
    week_ago: "CohortSnapshot | None"

    def items(self) -> list[tuple[str, int, int | None]]:
        """(field name, today's value, change since a week ago or None)."""
        return [
            (name, getattr(self.now, name), getattr(self.now, name) - getattr(self.week_ago, name) if self.week_ago else None)
            for name in Headline.__dataclass_fields__
        ]

    def labelled(self) -> list[tuple[str, int, int | None]]:
        return [(HEADLINE_LABELS[name], value, change) for name, value, change in self.items()]
