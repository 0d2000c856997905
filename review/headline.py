"""A cohort's headline numbers and how each is worded, defined once for the cohort page, snapshots and the staff digest."""

from dataclasses import dataclass

from .models import CohortSnapshot


@dataclass(frozen=True)
class Headline:
    enrolled: int
    active_7_days: int
    on_track: int
    at_risk: int
    finished: int
    project_submitted: int


HEADLINE_LABELS = {
    "enrolled": "enrolled",
    "active_7_days": "active in the last 7 days",
    "on_track": "on track (plan or forecast)",
    "at_risk": "at risk",
    "finished": "finished all lessons",
    "project_submitted": "projects handed in",
}


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
