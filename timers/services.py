"""Starting and stopping the study timer. Stopping adds its minutes to the study log through
`progress.services.study_logs.study_log_add` (which locks the enrollment, holds the 24-hours-a-day rule and
refreshes the stored numbers); a timer never replaces what a day's log already holds.

Every service here locks the enrollment first, so one student's starts and stops (from two tabs, a phone and
Slack) queue up: two starts at once make one timer, and a stop can not log a timer twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.forms import nul_characters_check
from common.timezones import hours_display
from lessons.models import Lesson
from progress.models import NOTES_MAX_LENGTH, Enrollment
from progress.selectors.enrollments import enrollment_cutoff_day, enrollment_today
from progress.services.rollups import enrollments_lock
from progress.services.study_logs import study_log_add

from .clock import Reading, minutes_by_day, stops_itself_at, timer_reading
from .models import StudyTimer
from .selectors import timer_for_enrollment


class TimerNeedsConfirmation(ValidationError):
    """A timer that ran over 4 hours, or stopped itself: it logs only what the student confirms (`timer_trim`)."""


@dataclass(frozen=True)
class DayAdded:
    day: dt.date
    minutes: int  # what the timer added
    log_minutes: int  # the day's log on that lesson now holds


@dataclass(frozen=True)
class TimerLogged:
    """What a stopped timer added to the study log: nothing for a timer stopped within half a minute."""

    lesson: Lesson
    days: tuple[DayAdded, ...]

    @property
    def minutes(self) -> int:
        return sum(added.minutes for added in self.days)


@dataclass(frozen=True)
class TimerStarted:
    timer: StudyTimer
    created: bool  # False: that lesson's timer was already running (a second click, a second tab)
    stopped: TimerLogged | None  # the timer on another lesson it took over from, and what that one logged


def timer_logged_words(*, logged: TimerLogged) -> str:
    """What a student is told after a stop, on the web and in chat alike."""
    if not logged.days:
        return f"The timer on {logged.lesson} ran under a minute: nothing was logged."
    if len(logged.days) == 1:
        (added,) = logged.days
        total = f" (now {hours_display(added.log_minutes)} that day)" if added.log_minutes != added.minutes else ""
        return f"Added {hours_display(added.minutes)} on {logged.lesson} for {added.day:%a %-d %b}{total}."
    split = " and ".join(f"{hours_display(added.minutes)} on {added.day:%a %-d %b}" for added in logged.days)
    return f"Added {hours_display(logged.minutes)} on {logged.lesson}, split at midnight: {split}."


def _timer_locked(*, enrollment: Enrollment, timer_id: int | None) -> StudyTimer:
    """The running timer, read after `enrollments_lock`; `timer_id` (the timer a page showed) must still be it."""
    timer = timer_for_enrollment(enrollment=enrollment)
    if timer is None or (timer_id is not None and timer.pk != timer_id):
        raise ValidationError("That timer is no longer running: it was stopped or discarded, perhaps on another device.")
    return timer


def _reading(*, timer: StudyTimer, now: dt.datetime) -> Reading:
    return timer_reading(started_at=timer.started_at, stops_at=timer.stops_at, confirmed_at=timer.confirmed_at, now=now)


def _confirmation_asked(*, timer: StudyTimer, reading: Reading) -> TimerNeedsConfirmation:
    if reading.stopped_itself:
        return TimerNeedsConfirmation(
            f"Your timer on {timer.lesson} stopped itself after {hours_display(reading.elapsed_minutes)}: "
            "confirm what to log, or trim it."
        )
    return TimerNeedsConfirmation(
        f"Your timer on {timer.lesson} has run {hours_display(reading.elapsed_minutes)}: "
        "confirm what to log, or trim it."
    )


def _note_check(note: str) -> str:
    note = (note or "").strip()
    nul_characters_check(note=note)
    if len(note) > NOTES_MAX_LENGTH:
        raise ValidationError({"note": f"A note can be at most {NOTES_MAX_LENGTH:,} characters (this is {len(note):,})."})
    return note


def _timer_log(*, timer: StudyTimer, ends_at: dt.datetime, note: str, now: dt.datetime) -> TimerLogged:
    """Add [started_at, ends_at) to the study log, split at the student's local midnight, and end the timer.

    Call inside the transaction that locked the enrollment: a day refused (the 24-hour rule, a day outside the
    course) rolls back every day of it, and the timer keeps running for the student to trim or discard.
    """
    enrollment = timer.enrollment
    parts = minutes_by_day(started_at=timer.started_at, ends_at=ends_at, time_zone=enrollment.time_zone)
    days = []
    for index, (day, minutes) in enumerate(parts):
        # The note goes once, on the day the timer stopped.
        log, _ = study_log_add(
            enrollment=enrollment, day=day, lesson=timer.lesson, minutes=minutes,
            notes=note if index == len(parts) - 1 else "", now=now,
        )
        days.append(DayAdded(day=day, minutes=minutes, log_minutes=log.minutes))
    timer.delete()
    return TimerLogged(lesson=timer.lesson, days=tuple(days))


def _refusal(exc: ValidationError) -> ValidationError:
    """A refusal of study_log_add keyed by its own fields (day, minutes) as one message a timer's page can show."""
    return ValidationError(f"Nothing was logged: {' '.join(exc.messages)}")


def timer_start(*, enrollment: Enrollment, lesson: Lesson, now: dt.datetime | None = None) -> TimerStarted:
    """Start timing `lesson`. Started again on the lesson already timed, nothing changes (a double click, a
    second tab). Started on another lesson, the running timer is stopped and logged first, as when a student
    moves on to the next lesson; unless it needs confirming (over 4 hours, or stopped itself), which is refused:
    a forgotten timer must be confirmed or trimmed, never logged on the way to another."""
    now = now or timezone.now()
    today = enrollment_today(enrollment=enrollment, now=now)
    cohort = enrollment.cohort
    if today < cohort.opens_on:
        raise ValidationError(f"The course opens on {cohort.opens_on:%-d %b %Y}: start a timer from then.")
    if today > enrollment_cutoff_day(enrollment=enrollment):
        raise ValidationError("The course has closed: no more time can be logged.")
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        running = timer_for_enrollment(enrollment=enrollment)
        stopped = None
        if running is not None:
            running.enrollment = enrollment
            reading = _reading(timer=running, now=now)
            if running.lesson_id == lesson.pk and not reading.stopped_itself:
                return TimerStarted(timer=running, created=False, stopped=None)
            if reading.needs_confirmation:
                raise _confirmation_asked(timer=running, reading=reading)
            try:
                stopped = _timer_log(timer=running, ends_at=reading.ends_at, note="", now=now)
            except ValidationError as exc:
                raise _refusal(exc) from exc
        timer = StudyTimer.objects.create(
            enrollment=enrollment, lesson=lesson, started_at=now,
            stops_at=stops_itself_at(started_at=now, time_zone=enrollment.time_zone),
        )
    return TimerStarted(timer=timer, created=True, stopped=stopped)


def timer_stop(
    *, enrollment: Enrollment, note: str = "", now: dt.datetime | None = None, timer_id: int | None = None
) -> TimerLogged:
    """Stop the running timer and add its minutes to the day's log for its lesson (split at the student's local
    midnight), with `note` appended to that log's notes.

    Raises TimerNeedsConfirmation, logging nothing, for a timer over 4 hours or one that stopped itself: the
    student confirms or trims it (`timer_trim`). `timer_id`, from a page, makes sure the timer stopped is the one
    the student saw, not one started since on another device.
    """
    now = now or timezone.now()
    note = _note_check(note)
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        timer = _timer_locked(enrollment=enrollment, timer_id=timer_id)
        timer.enrollment = enrollment
        reading = _reading(timer=timer, now=now)
        if reading.needs_confirmation:
            raise _confirmation_asked(timer=timer, reading=reading)
        try:
            return _timer_log(timer=timer, ends_at=reading.ends_at, note=note, now=now)
        except ValidationError as exc:
            raise _refusal(exc) from exc


def timer_trim(
    *, enrollment: Enrollment, minutes: int, note: str = "", now: dt.datetime | None = None, timer_id: int | None = None
) -> TimerLogged:
    """Stop the timer and log only its first `minutes` (a forgotten timer: the student studied from its start for
    that long), or all of them, confirmed. Splits at local midnight as `timer_stop` does."""
    now = now or timezone.now()
    note = _note_check(note)
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        timer = _timer_locked(enrollment=enrollment, timer_id=timer_id)
        timer.enrollment = enrollment
        reading = _reading(timer=timer, now=now)
        if minutes < 1:
            raise ValidationError({"minutes": "Log at least a minute, or discard the timer to log nothing."})
        if minutes > reading.elapsed_minutes:
            raise ValidationError({"minutes": (
                f"The timer ran {hours_display(reading.elapsed_minutes)}: log at most that "
                "(log other time with the study-log form)."
            )})
        try:
            return _timer_log(timer=timer, ends_at=timer.started_at + dt.timedelta(minutes=minutes), note=note, now=now)
        except ValidationError as exc:
            raise _refusal(exc) from exc


def timer_keep(*, enrollment: Enrollment, now: dt.datetime | None = None, timer_id: int | None = None) -> StudyTimer:
    """The student says the timer is still right ("still studying"): it runs on, and asks again 4 hours later.
    A timer that stopped itself can not be kept: what it logs is confirmed instead."""
    now = now or timezone.now()
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        timer = _timer_locked(enrollment=enrollment, timer_id=timer_id)
        if _reading(timer=timer, now=now).stopped_itself:
            raise ValidationError("This timer stopped itself at night: confirm what to log, or trim it.")
        timer.confirmed_at = now
        timer.save(update_fields=["confirmed_at", "updated_at"])
    return timer


def timer_discard(*, enrollment: Enrollment, timer_id: int | None = None) -> StudyTimer:
    """Throw the running timer away, logging nothing; returns it (no longer saved) for the page's message."""
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        timer = _timer_locked(enrollment=enrollment, timer_id=timer_id)
        timer.delete()
    return timer
