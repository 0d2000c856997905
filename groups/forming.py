"""Forming groups, the arithmetic only (no queries): students with no group into groups of about 20, by
time-zone band (each group within ±3 h) and pace (quantiles of hours a week within the band)."""

import math
import statistics
from dataclasses import dataclass

TARGET_SIZE = 20
BAND_SPAN_HOURS = 6  # a band's members are at most 6 h apart: within ±3 h of its middle


@dataclass(frozen=True)
class Candidate:
    enrollment_id: int
    utc_offset: float  # hours from UTC now
    weekly_hours: float


@dataclass(frozen=True)
class PlannedGroup:
    offset_low: float
    offset_high: float
    pace_low: float
    pace_high: float
    weekly_goal_hours: int
    enrollment_ids: tuple[int, ...]

    @property
    def utc_offset(self) -> int:
        return round((self.offset_low + self.offset_high) / 2)

    @property
    def size(self) -> int:
        return len(self.enrollment_ids)


def _bands(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Sweep the students by offset: a band takes everyone within BAND_SPAN_HOURS of its first."""
    bands: list[list[Candidate]] = []
    for candidate in sorted(candidates, key=lambda c: (c.utc_offset, c.enrollment_id)):
        if bands and candidate.utc_offset - bands[-1][0].utc_offset <= BAND_SPAN_HOURS:
            bands[-1].append(candidate)
        else:
            bands.append([candidate])
    return bands


def group_count(students: int, *, target: int = TARGET_SIZE, capacity: int) -> int:
    """About `target` a group, never more than `capacity`."""
    return max(1, round(students / target), math.ceil(students / capacity))


def groups_plan(candidates: list[Candidate], *, target: int = TARGET_SIZE, capacity: int) -> list[PlannedGroup]:
    planned = []
    for band in _bands(candidates):
        by_pace = sorted(band, key=lambda c: (c.weekly_hours, c.enrollment_id))
        count = group_count(len(by_pace), target=target, capacity=capacity)
        for index in range(count):  # near-equal slices of the pace order: its quantiles
            members = by_pace[index * len(by_pace) // count : (index + 1) * len(by_pace) // count]
            paces = [c.weekly_hours for c in members]
            offsets = [c.utc_offset for c in members]
            planned.append(
                PlannedGroup(
                    offset_low=min(offsets), offset_high=max(offsets), pace_low=min(paces), pace_high=max(paces),
                    weekly_goal_hours=min(max(round(statistics.median(paces)), 1), 7 * 24),
                    enrollment_ids=tuple(c.enrollment_id for c in members),
                )
            )
    return planned


@dataclass(frozen=True)
class PlanSummary:
    """What the preview says of a plan as a whole."""

    groups: int
    students: int
    smallest: int | None
    largest: int | None
    median_size: float | None
    widest_band_hours: float


def plan_summary(planned: list[PlannedGroup]) -> PlanSummary:
    sizes = [group.size for group in planned]
    return PlanSummary(
        groups=len(planned), students=sum(sizes), smallest=min(sizes, default=None), largest=max(sizes, default=None),
        median_size=statistics.median(sizes) if sizes else None,
        widest_band_hours=max((group.offset_high - group.offset_low for group in planned), default=0),
    )
