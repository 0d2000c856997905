"""A study timer's arithmetic, with no database: when it stops itself, when it must be confirmed, and how its
minutes fall on the student's local days. Every page, service and chat reply reads a timer through `timer_reading`."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from common.timezones import local_instant

# A timer that has run longer than this since it was started (or last said to be right) logs nothing until the
# student confirms or trims it: a forgotten timer must not log 14 hours silently.
CONFIRM_AFTER = dt.timedelta(hours=4)
# A forgotten timer stops itself at this local hour, the night after the evening it was started in.
STOPS_ITSELF_AT = dt.time(4, 0)


def stops_itself_at(*, started_at: dt.datetime, time_zone: str) -> dt.datetime:
    """The first 04:00 in the student's zone after `started_at` (the student's local midnight + 4 h).

    So a timer covers at most one local midnight and at most 24 hours: started at 23:00 it stops itself at
    04:00 the next morning, started at 01:00 (a night owl) at 04:00 the same night.
    """
    local_day = started_at.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    stop = local_instant(day=local_day, at=STOPS_ITSELF_AT, time_zone=time_zone)
    if stop <= started_at:
        stop = local_instant(day=local_day + dt.timedelta(days=1), at=STOPS_ITSELF_AT, time_zone=time_zone)
    return stop


def whole_minutes(span: dt.timedelta) -> int:
    """A span to the nearest whole minute (half a minute rounds up); never negative."""
    seconds = max(int(span.total_seconds()), 0)
    return (seconds + 30) // 60


def clock_display(span: dt.timedelta) -> str:
    """1:05:09 for 1 h 5 min 9 s, as the header's clock shows it (static/js/timer.js counts on in the same form)."""
    seconds = max(int(span.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@dataclass(frozen=True)
class Reading:
    """A timer as it stands at `now`. A timer read after it stopped itself counts as stopped at that instant."""

    started_at: dt.datetime
    ends_at: dt.datetime  # now, or the instant it stopped itself
    stops_at: dt.datetime
    stopped_itself: bool
    needs_confirmation: bool

    @property
    def elapsed(self) -> dt.timedelta:
        return max(self.ends_at - self.started_at, dt.timedelta(0))

    @property
    def elapsed_minutes(self) -> int:
        return whole_minutes(self.elapsed)

    @property
    def clock(self) -> str:
        return clock_display(self.elapsed)


def timer_reading(
    *, started_at: dt.datetime, stops_at: dt.datetime, confirmed_at: dt.datetime | None, now: dt.datetime
) -> Reading:
    """Where a timer stands at `now`. It asks to be confirmed once it has stopped itself, or once it has run more
    than CONFIRM_AFTER since it started or since the student last said it was right ("still studying")."""
    stopped_itself = now >= stops_at
    ends_at = max(min(now, stops_at), started_at)
    vouched_from = max(confirmed_at or started_at, started_at)
    return Reading(
        started_at=started_at,
        ends_at=ends_at,
        stops_at=stops_at,
        stopped_itself=stopped_itself,
        needs_confirmation=stopped_itself or ends_at - vouched_from > CONFIRM_AFTER,
    )


def minutes_by_day(*, started_at: dt.datetime, ends_at: dt.datetime, time_zone: str) -> list[tuple[dt.date, int]]:
    """The whole minutes of [started_at, ends_at) on each local day of `time_zone`, in day order, days with none left out.

    Rounded once over the whole span and split at each local midnight by the running total, so the days add up
    to exactly `whole_minutes(ends_at - started_at)`: 23:20 to 00:50 is 40 minutes on the first day, 50 on the next.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    day = started_at.astimezone(zone).date()
    last_day = ends_at.astimezone(zone).date() if ends_at > started_at else day
    parts: list[tuple[dt.date, int]] = []
    counted = 0
    while day <= last_day:
        # The next local midnight (a day whose midnight a clock change skips starts at the change itself).
        day_ends = min(local_instant(day=day + dt.timedelta(days=1), at=dt.time(0), time_zone=time_zone), ends_at)
        upto = whole_minutes(day_ends - started_at)
        if upto > counted:
            parts.append((day, upto - counted))
            counted = upto
        day += dt.timedelta(days=1)
    return parts
