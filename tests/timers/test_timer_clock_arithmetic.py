"""The timer's arithmetic on hand-worked cases: when it stops itself, when it asks to be confirmed, and how its
minutes fall on the student's local days."""

import datetime as dt
from zoneinfo import ZoneInfo

from timers.clock import minutes_by_day, stops_itself_at, timer_reading

KOLKATA = "Asia/Kolkata"  # UTC+5:30, no summer time
BERLIN = "Europe/Berlin"


def local(text: str, zone: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def test_an_evening_timer_stops_itself_at_four_the_next_morning():
    started = local("2026-03-02T23:10", KOLKATA)
    assert stops_itself_at(started_at=started, time_zone=KOLKATA) == local("2026-03-03T04:00", KOLKATA)


def test_a_timer_started_after_midnight_stops_itself_at_four_the_same_night():
    started = local("2026-03-03T01:00", KOLKATA)
    assert stops_itself_at(started_at=started, time_zone=KOLKATA) == local("2026-03-03T04:00", KOLKATA)


def test_a_timer_started_at_four_runs_until_four_the_next_day():
    started = local("2026-03-03T04:00", KOLKATA)
    assert stops_itself_at(started_at=started, time_zone=KOLKATA) == local("2026-03-04T04:00", KOLKATA)


def test_the_night_clocks_go_forward_the_timer_still_stops_at_four_local_time():
    # Berlin springs forward at 02:00 on 29 March 2026: 23:00 to 04:00 is 4 hours, not 5.
    started = local("2026-03-28T23:00", BERLIN)
    stop = stops_itself_at(started_at=started, time_zone=BERLIN)
    assert stop == local("2026-03-29T04:00", BERLIN)
    assert stop - started == dt.timedelta(hours=4)


def test_a_timer_across_midnight_is_split_between_the_two_days():
    parts = minutes_by_day(
        started_at=local("2026-03-02T23:20", KOLKATA), ends_at=local("2026-03-03T00:50", KOLKATA), time_zone=KOLKATA
    )
    assert parts == [(dt.date(2026, 3, 2), 40), (dt.date(2026, 3, 3), 50)]


def test_the_split_is_by_the_students_zone_not_utc():
    # 18:00 to 20:00 UTC is 23:30 to 01:30 in Kolkata: half an hour before its midnight, 90 minutes after.
    parts = minutes_by_day(
        started_at=dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC),
        time_zone=KOLKATA,
    )
    assert parts == [(dt.date(2026, 3, 2), 30), (dt.date(2026, 3, 3), 90)]


def test_seconds_round_once_so_the_days_add_up_to_the_whole():
    start = local("2026-03-02T23:59:40", KOLKATA)
    parts = minutes_by_day(started_at=start, ends_at=start + dt.timedelta(minutes=10, seconds=40), time_zone=KOLKATA)
    assert sum(minutes for _, minutes in parts) == 11
    assert parts == [(dt.date(2026, 3, 3), 11)]  # 20 s before midnight round to no minute on the first day


def test_a_timer_under_half_a_minute_has_no_minutes():
    start = local("2026-03-02T10:00", KOLKATA)
    assert minutes_by_day(started_at=start, ends_at=start + dt.timedelta(seconds=29), time_zone=KOLKATA) == []


def reading(started: dt.datetime, now: dt.datetime, confirmed: dt.datetime | None = None):
    return timer_reading(
        started_at=started, stops_at=stops_itself_at(started_at=started, time_zone=KOLKATA), confirmed_at=confirmed, now=now
    )


def test_four_hours_log_without_a_question_and_a_minute_more_asks_for_confirmation():
    start = local("2026-03-02T08:00", KOLKATA)
    assert not reading(start, start + dt.timedelta(hours=4)).needs_confirmation
    assert reading(start, start + dt.timedelta(hours=4, minutes=1)).needs_confirmation


def test_still_studying_asks_again_four_hours_later():
    start = local("2026-03-02T08:00", KOLKATA)
    kept = start + dt.timedelta(hours=4, minutes=30)
    assert not reading(start, start + dt.timedelta(hours=8), confirmed=kept).needs_confirmation
    assert reading(start, kept + dt.timedelta(hours=4, minutes=1), confirmed=kept).needs_confirmation


def test_read_after_it_stopped_itself_it_counts_as_stopped_at_four():
    start = local("2026-03-02T22:00", KOLKATA)
    later = reading(start, local("2026-03-03T13:00", KOLKATA))
    assert later.stopped_itself and later.needs_confirmation
    assert later.ends_at == local("2026-03-03T04:00", KOLKATA)
    assert later.elapsed_minutes == 6 * 60
    assert later.clock == "6:00:00"
