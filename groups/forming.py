"""Forming groups, the arithmetic only (no queries): students with no group into groups of about 20, by
time-zone band (each group within ±3 h) and pace (quantiles of hours a week within the band).

A band too small for a group of its own (under half the target) does not become a group of one, two or three: its
students take free seats in the cohort's open groups near their zone, or join the nearest band that is big enough.
Only when no band is (a small or scattered cohort) do they form groups together, by zone.
"""

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

TARGET_SIZE = 20
BAND_SPAN_HOURS = 6  # a band's members are at most 6 h apart: within ±3 h of its middle
REACH_HOURS = BAND_SPAN_HOURS / 2  # an open group takes a student within ±3 h of its band, as browsing finds it
MIN_OFFSET, MAX_OFFSET = -12, 14
HOURS_IN_A_WEEK = 7 * 24
# Up to so many hours a week, the pace a group's name gives; faster is "intensive".
PACE_WORDS = ((5, "light pace"), (12, "steady pace"), (25, "brisk pace"))
FAST_PACE_WORDS = "intensive pace"
NAME_NUMBER = re.compile(r" · \d+$")


def number_words(value: float) -> str:
    """At most one decimal, none when whole: 5.5 -> "5.5", 27.0 -> "27", -8.0 -> "-8"."""
    text = f"{round(value, 1) + 0.0:.1f}"  # + 0.0: -0.0 reads as 0
    return text.removesuffix(".0")


def offset_words(value: float) -> str:
    """Hours from UTC as people write them: "UTC-8", "UTC+5.5", "UTC±0"."""
    if round(value, 1) == 0:
        return "UTC±0"
    return f"UTC{'+' if value > 0 else '-'}{number_words(abs(value))}"


def range_words(low: float, high: float, words: Callable[[float], str] = number_words) -> str:
    """"2 to 32", or one value when both ends read the same ("-8", not "-8.0 to -8.0")."""
    low_words, high_words = words(low), words(high)
    return low_words if low_words == high_words else f"{low_words} to {high_words}"


def pace_words(hours_a_week: float) -> str:
    return next((words for limit, words in PACE_WORDS if hours_a_week <= limit), FAST_PACE_WORDS)


def place_words(*, time_zone: str, utc_offset: float) -> str:
    """The city of a zone ("America/Argentina/Buenos_Aires" -> "Buenos Aires"); the offset for a zone that names none."""
    area, _, city = time_zone.rpartition("/")
    if not area or area == "Etc" or not city:
        return offset_words(utc_offset)
    return city.replace("_", " ")


def group_name(*, time_zone: str, utc_offset: float, weekly_goal_hours: float) -> str:
    """A name a person would use: where most members live, and the pace ("Los Angeles · steady pace")."""
    return f"{place_words(time_zone=time_zone, utc_offset=utc_offset)} · {pace_words(weekly_goal_hours)}"


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or the first "name · 2", "name · 3"… not in `taken` (lower case: names are compared without case)."""
    if name.lower() not in taken:
        return name
    base = NAME_NUMBER.sub("", name)
    number = 2
    while f"{base} · {number}".lower() in taken:
        number += 1
    return f"{base} · {number}"


def round_offset(value: float) -> int:
    """A whole-hour band, halves up (Python's round() would take -6.5 to -6 and 5.5 to 6 alike), within the model's range."""
    return max(MIN_OFFSET, min(MAX_OFFSET, math.floor(value + 0.5)))


@dataclass(frozen=True)
class Candidate:
    enrollment_id: int
    utc_offset: float  # hours from UTC now
    weekly_hours: float
    time_zone: str = ""  # the student's IANA zone: the group's name and band come from its members' main zone


@dataclass(frozen=True)
class OpenGroup:
    """One of the cohort's open groups with free seats, which students with no group may fill."""

    group_id: int
    name: str
    utc_offset: int
    weekly_goal_hours: int
    free_seats: int


@dataclass(frozen=True)
class PlannedGroup:
    offset_low: float
    offset_high: float
    pace_low: float
    pace_high: float
    weekly_goal_hours: int
    enrollment_ids: tuple[int, ...]
    utc_offset: int = 0  # the band: the offset of the members' main zone
    name: str = ""
    group_id: int | None = None  # an open group these students join; None for a new group

    @property
    def size(self) -> int:
        return len(self.enrollment_ids)

    @property
    def is_new(self) -> bool:
        return self.group_id is None

    @property
    def offset_range(self) -> str:
        return range_words(self.offset_low, self.offset_high, offset_words)

    @property
    def pace_range(self) -> str:
        return range_words(self.pace_low, self.pace_high)


def _bands(candidates: Iterable[Candidate]) -> list[list[Candidate]]:
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


def _slices(members: list[Candidate], count: int) -> list[list[Candidate]]:
    return [members[index * len(members) // count : (index + 1) * len(members) // count] for index in range(count)]


def _main_zone(members: Sequence[Candidate]) -> tuple[str, float]:
    """The zone most members live in (ties: the first by name) and its offset; without zones, the median offset."""
    zones = Counter(c.time_zone for c in members if c.time_zone)
    if not zones:
        return "", statistics.median(c.utc_offset for c in members)
    zone = min(zones.items(), key=lambda item: (-item[1], item[0]))[0]
    return zone, next(c.utc_offset for c in members if c.time_zone == zone)


def _new_group(members: list[Candidate], taken: set[str]) -> PlannedGroup:
    paces = [c.weekly_hours for c in members]
    offsets = [c.utc_offset for c in members]
    goal = min(max(round(statistics.median(paces)), 1), HOURS_IN_A_WEEK)
    zone, offset = _main_zone(members)
    name = free_name(group_name(time_zone=zone, utc_offset=offset, weekly_goal_hours=goal), taken)
    taken.add(name.lower())
    return PlannedGroup(
        offset_low=min(offsets), offset_high=max(offsets), pace_low=min(paces), pace_high=max(paces), weekly_goal_hours=goal,
        enrollment_ids=tuple(c.enrollment_id for c in members), utc_offset=round_offset(offset), name=name,
    )


@dataclass
class _Seats:
    """The open groups' free seats as strays take them."""

    groups: Sequence[OpenGroup]
    free: dict[int, int] = field(init=False)
    taken_by: dict[int, list[Candidate]] = field(init=False)

    def __post_init__(self):
        self.free = {group.group_id: group.free_seats for group in self.groups}
        self.taken_by = {}

    def take(self, candidate: Candidate, *, reach: float | None) -> bool:
        """A seat in the nearest open group by zone, then by pace, within `reach` hours (None: anywhere)."""
        near = [
            group for group in self.groups
            if self.free[group.group_id] > 0 and (reach is None or abs(group.utc_offset - candidate.utc_offset) <= reach)
        ]
        if not near:
            return False
        group = min(near, key=lambda g: (abs(g.utc_offset - candidate.utc_offset), abs(g.weekly_goal_hours - candidate.weekly_hours), g.group_id))
        self.free[group.group_id] -= 1
        self.taken_by.setdefault(group.group_id, []).append(candidate)
        return True


def _nearest_band(candidate: Candidate, bands: list[list[Candidate]]) -> list[Candidate]:
    """The band whose zones come nearest the student's (ties: the bigger, then the earlier). Call before any stray
    joins a band: a band's first and last are its lowest and highest offset while it is as the sweep made it."""
    def distance(band: list[Candidate]) -> float:
        return max(band[0].utc_offset - candidate.utc_offset, candidate.utc_offset - band[-1].utc_offset, 0)

    return min(bands, key=lambda band: (distance(band), -len(band), band[0].utc_offset))


def groups_plan(
    candidates: list[Candidate], *, target: int = TARGET_SIZE, capacity: int, open_groups: Sequence[OpenGroup] = (),
    taken_names: Iterable[str] = (),
) -> list[PlannedGroup]:
    """New groups, each a slice of a band's pace order, and the strays' seats in open groups; ordered by zone.
    `taken_names`: the cohort's group names, which new groups' names must not repeat."""
    smallest = max(1, target // 2)
    taken = {name.lower() for name in taken_names}
    bands = _bands(candidates)
    kept = [band for band in bands if len(band) >= smallest]
    seats = _Seats(open_groups)
    strays = [c for band in bands if len(band) < smallest for c in band]
    left = [c for c in strays if not seats.take(c, reach=REACH_HOURS)]
    pooled: list[Candidate] = []
    if kept:
        joining = [(candidate, _nearest_band(candidate, kept)) for candidate in left]
        for candidate, band in joining:
            band.append(candidate)
    else:  # no band makes a group of its own: a small or scattered cohort
        if len(left) < smallest:
            left = [c for c in left if not seats.take(c, reach=None)]
        pooled = sorted(left, key=lambda c: (c.utc_offset, c.enrollment_id))
    planned = []
    for band in kept:
        by_pace = sorted(band, key=lambda c: (c.weekly_hours, c.enrollment_id))
        planned += [_new_group(members, taken) for members in _slices(by_pace, group_count(len(by_pace), target=target, capacity=capacity))]
    if pooled:  # by zone, as a band would be, since they are far apart
        planned += [_new_group(members, taken) for members in _slices(pooled, group_count(len(pooled), target=target, capacity=capacity))]
    for group in open_groups:
        members = seats.taken_by.get(group.group_id)
        if members:
            paces, offsets = [c.weekly_hours for c in members], [c.utc_offset for c in members]
            planned.append(
                PlannedGroup(
                    offset_low=min(offsets), offset_high=max(offsets), pace_low=min(paces), pace_high=max(paces),
                    weekly_goal_hours=group.weekly_goal_hours, enrollment_ids=tuple(c.enrollment_id for c in members),
                    utc_offset=group.utc_offset, name=group.name, group_id=group.group_id,
                )
            )
    return sorted(planned, key=lambda g: (g.utc_offset, not g.is_new, g.pace_low, g.enrollment_ids[0]))


@dataclass(frozen=True)
class PlanSummary:
    """What the preview says of a plan as a whole."""

    groups: int  # new groups
    students: int  # every student the plan places
    smallest: int | None  # of the new groups
    largest: int | None
    median_size: float | None
    widest_band_hours: float
    joining_students: int  # into open groups with free seats
    joined_groups: int

    @property
    def new_group_students(self) -> int:
        return self.students - self.joining_students

    @property
    def size_range(self) -> str:
        return range_words(self.smallest or 0, self.largest or 0)

    @property
    def median_words(self) -> str:
        return number_words(self.median_size or 0)

    @property
    def widest_words(self) -> str:
        return number_words(self.widest_band_hours)


def plan_summary(planned: list[PlannedGroup]) -> PlanSummary:
    new = [group for group in planned if group.is_new]
    joined = [group for group in planned if not group.is_new]
    sizes = [group.size for group in new]
    return PlanSummary(
        groups=len(new), students=sum(group.size for group in planned), smallest=min(sizes, default=None),
        largest=max(sizes, default=None), median_size=statistics.median(sizes) if sizes else None,
        widest_band_hours=max((group.offset_high - group.offset_low for group in new), default=0),
        joining_students=sum(group.size for group in joined), joined_groups=len(joined),
    )
