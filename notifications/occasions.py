"""When an email is due: each kind's occasions, as (kind, cohort, number), and the morning window they go out in."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from progress.models import Cohort
from progress.course_days import course_week
from review.selectors.cohorts import cohort_time_zones

from .models import Notification

Kind = Notification.Kind
SEND_AT = dt.time(9, 0)
# A beat that was down catches up during the morning; mail stays a morning email, never an evening one.
SEND_UNTIL = dt.time(12, 0)
# The ledger's key for an occasion within its cohort, by kind: the number is days before the cut-off or the week.
KEY_FORMATS = {Kind.DEADLINE_REMINDER: "deadline-{}d", Kind.STUDENT_DIGEST: "digest-week-{}", Kind.STAFF_DIGEST: "staff-digest-week-{}"}


def event_key(*, event_id: int, starts_at: dt.datetime | None) -> str:
    """An event's reminder names its start (moving the event re-arms it); its cancellation names none."""
    return f"event-{event_id}-{starts_at:%Y%m%dT%H%M}" if starts_at else f"event-{event_id}-cancelled"


def nudge_key(*, day: dt.date) -> str:
    """A nudge's occasion: the student's day, so a student gets at most one nudge a day, whichever of their group's
    mentors sends it (two mentors of one group would otherwise each nudge them on the same day)."""
    return f"nudge-{day:%Y%m%d}"


def occasion_key(kind: str, number: int) -> str:
    return KEY_FORMATS[kind].format(number)


@dataclass(frozen=True)
class Occasion:
    kind: str
    cohort: Cohort
    number: int  # days before the cut-off (reminders), or the course week (digests)
    time_zones: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return occasion_key(self.kind, self.number)


def _running_cohorts(*, now: dt.datetime) -> list[Cohort]:
    return list(Cohort.objects.filter(opens_on__lte=(now + dt.timedelta(days=1)).date(), cutoff_at__gt=now - dt.timedelta(days=8)))


def occasions_due(*, now: dt.datetime) -> list[Occasion]:
    """Every (kind, cohort, number) whose 09:00 has come in some zone today."""
    due: list[Occasion] = []
    for cohort in _running_cohorts(now=now):
        deadline: dict[int, list[str]] = {}
        digest: dict[int, list[str]] = {}
        for zone in cohort_time_zones(cohort=cohort):
            local = now.astimezone(ZoneInfo(zone))
            if not SEND_AT <= local.time() < SEND_UNTIL:
                continue
            cutoff_day = cohort.cutoff_at.astimezone(ZoneInfo(zone)).date()
            days_before = (cutoff_day - local.date()).days
            if now < cohort.cutoff_at and days_before in cohort.reminder_days_before:
                deadline.setdefault(days_before, []).append(zone)
            week = course_week(cohort=cohort, day=local.date())
            if local.date() == week.starts_on and week.number >= 2 and local.date() <= cutoff_day + dt.timedelta(days=7):
                digest.setdefault(week.number, []).append(zone)
        due += [Occasion(Kind.DEADLINE_REMINDER, cohort, days, tuple(zones)) for days, zones in sorted(deadline.items(), reverse=True)]
        due += [Occasion(Kind.STUDENT_DIGEST, cohort, number, tuple(zones)) for number, zones in sorted(digest.items())]
        programme_local = now.astimezone(ZoneInfo(cohort.time_zone))
        week = course_week(cohort=cohort, day=programme_local.date())
        if SEND_AT <= programme_local.time() < SEND_UNTIL and programme_local.date() == week.starts_on and week.number >= 2:
            due.append(Occasion(Kind.STAFF_DIGEST, cohort, week.number))
    return due
