"""Zones for tests that must not depend on the hour they run at."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from common.timezones import time_zone_names


def zone_where_it_is(hour: int, *, now: dt.datetime | None = None) -> str:
    """A zone students live in where the local time is now `hour` o'clock, so a test of "started 5 hours ago"
    neither crosses a midnight nor the 04:00 stop, whatever the hour the tests run at."""
    now = now or timezone.now()
    return next(name for name in time_zone_names() if now.astimezone(zoneinfo.ZoneInfo(name)).hour == hour)
