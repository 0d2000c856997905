"""The course's calendar as a student lives it: course weeks, the cut-off's local day, study streaks (pure)."""

import datetime as dt
from dataclasses import dataclass

from common.timezones import local_today

from .models import Cohort, Enrollment


@dataclass(frozen=True)
class CourseWeek:
    number: int
    starts_on: dt.date
    ends_on: dt.date


def course_week(*, cohort: Cohort, day: dt.date) -> CourseWeek:
    """Week 1 starts on the opening day; a day before it belongs to week 1 too."""
    index = max((day - cohort.opens_on).days // 7, 0)
    starts_on = cohort.opens_on + dt.timedelta(days=7 * index)
    return CourseWeek(number=index + 1, starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=6))


def cutoff_day_in(*, time_zone: str, cohort: Cohort) -> dt.date:
    """The local calendar day, in `time_zone`, on which the cut-off instant falls."""
    return local_today(time_zone=time_zone, now=cohort.cutoff_at)


def cutoff_day(*, enrollment: Enrollment) -> dt.date:
    """The student's local calendar day on which the cut-off instant falls."""
    return cutoff_day_in(time_zone=enrollment.time_zone, cohort=enrollment.cohort)


def streak_days(*, study_days: set[dt.date], today: dt.date) -> int:
    """Consecutive study days ending today, or ending yesterday while today is still open."""
    day = today if today in study_days else today - dt.timedelta(days=1)
    count = 0
    while day in study_days:
        count += 1
        day -= dt.timedelta(days=1)
    return count
