"""Time zones and the student's local day: the one place a "day" is computed."""

import datetime as dt
import importlib.resources
import zoneinfo
from functools import cache
from pathlib import Path

from django.utils import timezone


def _tz_database_file(name: str) -> str:
    """A text file of the time zone database zoneinfo reads: the system's, else the tzdata package's."""
    for root in zoneinfo.TZPATH:
        if (Path(root) / "tzdata.zi").is_file():
            return (Path(root) / name).read_text(encoding="utf-8")
    return importlib.resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@cache
def _places() -> frozenset[str]:
    """The zones of the database's zone.tab: one per place people live, as browsers and atlases name them."""
    lines = _tz_database_file("zone.tab").splitlines()
    return frozenset(line.split("\t")[2] for line in lines if line and not line.startswith("#"))


@cache
def _old_names() -> dict[str, str]:
    """Old spellings of places (Asia/Calcutta, Europe/Kiev) to the zone they link to (Asia/Kolkata, Europe/Kyiv).

    A link whose name is itself a place in zone.tab (Europe/Oslo, linked to Europe/Berlin in some
    builds) stays as it is: the student lives there.
    """
    links = {}
    for line in _tz_database_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            if name not in _places():
                links[name] = target
    links.update({name: "UTC" for name, target in links.items() if target == "Etc/UTC"}, **{"Etc/UTC": "UTC"})
    return links


def time_zone_renames() -> dict[str, str]:
    return dict(_old_names())


def canonical_time_zone(name: str) -> str:
    """The name a zone is stored and offered under: Asia/Calcutta becomes Asia/Kolkata; others are unchanged."""
    return _old_names().get(name, name)


@cache
def time_zone_names() -> tuple[str, ...]:
    # Only Area/City names under their current spelling: the bare legacy aliases ("EST5EDT", "UCT")
    # and old spellings (Asia/Calcutta) confuse students picking from a list and split one zone in two.
    names = {
        name for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/")) and canonical_time_zone(name) == name
    }
    names.add("UTC")
    return tuple(sorted(names))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def local_now(*, time_zone: str, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(time_zone))


def local_today(*, time_zone: str, now: dt.datetime | None = None) -> dt.date:
    """The calendar day it is for someone living in `time_zone`."""
    return local_now(time_zone=time_zone, now=now).date()


def utc_offset_hours(*, time_zone: str, now: dt.datetime | None = None) -> float:
    """Hours from UTC in `time_zone` at `now` (5.5 for Asia/Kolkata; summer time counted)."""
    offset = local_now(time_zone=time_zone, now=now).utcoffset() or dt.timedelta(0)
    return offset.total_seconds() / 3600


def local_instant(*, day: dt.date, at: dt.time, time_zone: str) -> dt.datetime:
    """The aware UTC instant of a wall-clock time on a day in a zone."""
    return dt.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(time_zone)).astimezone(dt.UTC)


def hours_display(minutes: int) -> str:
    """90 -> '1 h 30 min', 120 -> '2 h', 45 -> '45 min'."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"
