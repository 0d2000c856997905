"""`/study start`, `/study stop`, `/study` (the running timer), `/study undo` and `/study week`.

The timer is the web's own (timers.services), so a timer started in chat shows on the dashboard and one started on
the web stops from chat. Every minute a chat command adds to a study log is recorded (SlackLogEntry), so
`/study undo` can take the student's last entry back, once, within SLACK_UNDO_WITHIN.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from common.timezones import hours_display
from lessons.models import Lesson
from progress.models import Enrollment, StudyLog
from progress.selectors.enrollments import enrollment_today
from progress.selectors.numbers import status_for_enrollment
from progress.services.rollups import enrollments_lock
from progress.services.study_logs import study_log_subtract
from progress.course_days import course_week
from timers.selectors import timer_for_enrollment, timer_shown
from timers.services import TimerLogged, TimerNeedsConfirmation, timer_logged_words, timer_start, timer_stop

from ..models import SLACK_UNDO_WITHIN, SlackLogEntry


def _timer_url() -> str:
    return settings.SITE_URL + reverse("timers:page")


def slack_entries_record(*, enrollment: Enrollment, parts: list[tuple[StudyLog, int]], now: dt.datetime) -> None:
    """Record what one chat command added: (log, minutes added) for each log it added to, all at `now`."""
    SlackLogEntry.objects.bulk_create([
        SlackLogEntry(
            enrollment=enrollment, log_id=log.pk, day=log.day, lesson_id=log.lesson_id, minutes=minutes, created_at=now
        )
        for log, minutes in parts if minutes > 0
    ])


def _logged_parts(*, enrollment: Enrollment, logged: TimerLogged) -> list[tuple[StudyLog, int]]:
    logs = {
        log.day: log
        for log in StudyLog.objects.select_related("lesson").filter(
            enrollment=enrollment, lesson=logged.lesson, day__in=[added.day for added in logged.days]
        )
    }
    return [(logs[added.day], added.minutes) for added in logged.days if added.day in logs]


def _needs_confirming(exc: ValidationError) -> str:
    return f"{' '.join(exc.messages)} Nothing was logged from here: do it on the timer page, {_timer_url()}"


def slack_timer_start(*, enrollment: Enrollment, lesson: Lesson, now: dt.datetime) -> str:
    try:
        with transaction.atomic():
            started = timer_start(enrollment=enrollment, lesson=lesson, now=now)
            if started.stopped is not None:
                slack_entries_record(enrollment=enrollment, parts=_logged_parts(enrollment=enrollment, logged=started.stopped), now=now)
    except TimerNeedsConfirmation as exc:
        return _needs_confirming(exc)
    except ValidationError as exc:
        return "Not started: " + " ".join(exc.messages)
    if not started.created:
        return f"Your timer on {lesson} is already running. `/study stop` adds its time to your log."
    before = f"{timer_logged_words(logged=started.stopped)} " if started.stopped is not None else ""
    return f"{before}Timing {lesson}. `/study stop what I did` adds the time to today's log."


def slack_timer_stop(*, enrollment: Enrollment, note: str, now: dt.datetime) -> str:
    if timer_for_enrollment(enrollment=enrollment) is None:
        return "No timer is running. `/study start L6` starts one on lesson 6."
    try:
        with transaction.atomic():
            logged = timer_stop(enrollment=enrollment, note=note, now=now)
            slack_entries_record(enrollment=enrollment, parts=_logged_parts(enrollment=enrollment, logged=logged), now=now)
    except TimerNeedsConfirmation as exc:
        return _needs_confirming(exc)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return timer_logged_words(logged=logged)


def slack_timer_shown(*, enrollment: Enrollment, now: dt.datetime) -> str:
    timer = timer_for_enrollment(enrollment=enrollment)
    if timer is None:
        return "No timer is running. `/study start L6` starts one on lesson 6; `/study help` lists the rest."
    shown = timer_shown(timer=timer, time_zone=enrollment.time_zone, now=now)
    reading = shown.reading
    line = (
        f"Timing {shown.lesson} since {shown.started_label} ({enrollment.time_zone}): "
        f"{hours_display(reading.elapsed_minutes)} so far."
    )
    if reading.stopped_itself:
        return f"{line} It stopped itself at {shown.stopped_label}: confirm what to log on the timer page, {_timer_url()}"
    if reading.needs_confirmation:
        return f"{line} Over 4 hours: confirm what to log on the timer page, {_timer_url()}"
    return f"{line} `/study stop what I did` adds it to today's log."


def slack_undo(*, enrollment: Enrollment, now: dt.datetime) -> str:
    """Take back the student's last chat entry: only theirs, only within SLACK_UNDO_WITHIN, only once."""
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])  # first, as every write service locks: no deadlock with a stop
        last = SlackLogEntry.objects.select_for_update().filter(enrollment=enrollment).order_by("-created_at", "-pk").first()
        if last is None:
            return "Nothing to undo: no time was logged from here yet."
        if last.undone_at is not None:
            return "Your last entry from here was undone already: there is nothing more to undo."
        if now - last.created_at > SLACK_UNDO_WITHIN:
            return (
                f"Your last entry from here is more than {int(SLACK_UNDO_WITHIN.total_seconds() // 60)} minutes old: "
                f"edit it on the site instead, {settings.SITE_URL}{reverse('progress:log_list')}"
            )
        entries = list(SlackLogEntry.objects.select_for_update(of=("self",)).select_related("lesson").filter(
            enrollment=enrollment, created_at=last.created_at, undone_at=None
        ))
        lines = []
        try:
            with transaction.atomic():
                for entry in entries:
                    log = study_log_subtract(enrollment=enrollment, log_id=entry.log_id, minutes=entry.minutes)
                    left = f"{hours_display(log.minutes)} on it that day now" if log is not None else "nothing left on it that day"
                    lines.append(f"Took back {hours_display(entry.minutes)} on {entry.lesson} for {entry.day:%a %-d %b}: {left}.")
        except ValidationError as exc:
            return "Not undone: " + " ".join(exc.messages)
        SlackLogEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(undone_at=now)
    return "\n".join(lines)


def slack_week(*, enrollment: Enrollment, now: dt.datetime) -> str:
    """The student's current course week, day by day and lesson by lesson, and the verdict."""
    today = enrollment_today(enrollment=enrollment, now=now)
    week = course_week(cohort=enrollment.cohort, day=today)
    logs = list(
        StudyLog.objects.select_related("lesson")
        .filter(enrollment=enrollment, day__gte=week.starts_on, day__lte=min(week.ends_on, today))
        .order_by("day", "lesson__number")
    )
    status = status_for_enrollment(enrollment=enrollment, now=now)
    total = sum(log.minutes for log in logs)
    lines = [f"Week {week.number} ({week.starts_on:%a %-d %b} to {week.ends_on:%a %-d %b}): {hours_display(total)}"]
    day = week.starts_on
    while day <= min(week.ends_on, today):
        that_day = [log for log in logs if log.day == day]
        if that_day:
            lessons = ", ".join(
                f"{log.lesson} {hours_display(log.minutes)}"
                + (f" (+{hours_display(log.community_minutes)} community)" if log.community_minutes else "")
                for log in that_day
            )
            lines.append(f"• {day:%a %-d %b}: {hours_display(sum(log.minutes for log in that_day))}: {lessons}")
        else:
            lines.append(f"• {day:%a %-d %b}: nothing")
        day += dt.timedelta(days=1)
    lines.append(f"*{status.verdict.label}.* {status.headline}")
    return "\n".join(lines)
