"""Time zones and the student's local day: the one place a "day" is computed."""

import datetime as dt
import zoneinfo
from functools import cache

from django.utils import timezone


@cache
def time_zone_names() -> tuple[str, ...]:
    # Only Area/City names: the bare legacy aliases ("EST5EDT", "UCT") confuse
    # students picking from a list and add nothing a real place lacks.
    names = {name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/"))}
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
