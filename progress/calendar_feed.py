"""A student's calendar feed, which calendar apps subscribe to by its secret address: the cut-off, a weekly summary
reminder, the events (from the apps above, progress.panels.CALENDAR), and the plan's lesson blocks once there is one."""

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from .models import Enrollment, StudyPlan
from .panels import CALENDAR
from .course_days import course_week
from .course_days import cutoff_day as cutoff_day_of

ONE_DAY = dt.timedelta(days=1)


def calendar_address(*, request, enrollment: Enrollment) -> str:
    """The feed's secret address, as the profile and the schedule show it."""
    return request.build_absolute_uri(f"{reverse('progress:schedule_ics')}?{urlencode({'token': enrollment.calendar_token})}")


def student_calendar(*, enrollment: Enrollment, plan: StudyPlan | None, site_url: str, now: dt.datetime | None = None) -> bytes:
    """One all-day event per lesson block of the plan (if any), a weekly summary reminder, the cut-off with an
    alarm, and the student's events. `enrollment` comes with its cohort, `plan` with its items and their lessons."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    calendar = Calendar()
    calendar.add("prodid", "-//Scholarship Tracker//Course calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{cohort.name}: my course calendar")
    uid_base = f"enrollment-{enrollment.pk}-{cohort.slug}"

    for item in plan.items.all() if plan is not None else []:
        if item.starts_on is None or item.ends_on is None:
            continue
        event = Event()
        event.add("uid", f"{uid_base}-lesson-{item.lesson.number}@scholarship-tracker")
        event.add("dtstamp", now)
        event.add("summary", f"Lesson {item.lesson.number}: {item.lesson.title}")
        event.add("description", f"Planned: {item.planned_minutes / 60:.1f} h. {site_url}/lessons/{item.lesson.slug}/")
        event.add("dtstart", item.starts_on)
        event.add("dtend", item.ends_on + ONE_DAY)  # all-day events end the day after
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)

    cutoff_day = cutoff_day_of(enrollment=enrollment)
    first_week = course_week(cohort=cohort, day=max(plan.starts_on, cohort.opens_on) if plan is not None else cohort.opens_on)
    summary = Event()
    summary.add("uid", f"{uid_base}-weekly-summary@scholarship-tracker")
    summary.add("dtstamp", now)
    summary.add("summary", "Write your weekly summary")
    summary.add("description", f"What you learnt this week, in your own words. {site_url}/summaries/")
    summary.add("dtstart", first_week.ends_on)
    summary.add("dtend", first_week.ends_on + ONE_DAY)
    summary.add("rrule", {"freq": "weekly", "until": cutoff_day})
    summary.add("transp", "TRANSPARENT")
    calendar.add_component(summary)

    cutoff = Event()
    cutoff.add("uid", f"{uid_base}-cutoff@scholarship-tracker")
    cutoff.add("dtstamp", now)
    local_cutoff = cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone))
    cutoff.add("summary", f"{cohort.name}: cut-off at {local_cutoff:%H:%M %Z}")
    cutoff.add("description", "The course closes: everything, the challenge project included, must be in by then.")
    cutoff.add("dtstart", cutoff_day)
    cutoff.add("dtend", cutoff_day + ONE_DAY)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{cohort.name} closes tomorrow")
    alarm.add("trigger", dt.timedelta(days=-1))
    cutoff.add_component(alarm)
    calendar.add_component(cutoff)
    for component in CALENDAR.components(enrollment=enrollment, site_url=site_url, now=now):  # events, from the apps above
        calendar.add_component(component)
    return calendar.to_ical()
