"""Study logs and lessons marked done: every rule a student can break is checked here, in the transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.forms import nul_characters_check
from common.timezones import hours_display
from lessons.models import Lesson

from ..models import MINUTES_PER_DAY, NOTES_MAX_LENGTH, Enrollment, LessonProgress, ProjectSubmission, StudyLog
from ..selectors.enrollments import enrollment_cutoff_day, enrollment_today
from ..selectors.logs import lesson_current_for_enrollment, study_logs_on_day
from .rollups import enrollments_lock, rollups_refresh


def _study_log_check(
    *, enrollment: Enrollment, day: dt.date, minutes: int, community_minutes: int, notes: str, now: dt.datetime
) -> None:
    nul_characters_check(notes=notes)
    errors: dict[str, str] = {}
    if minutes <= 0:
        errors["minutes"] = "Time studied must be more than zero."
    if community_minutes < 0:
        errors["community_minutes"] = "Community time can not be negative."
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = f"Notes can be at most {NOTES_MAX_LENGTH:,} characters (these are {len(notes):,})."
    cohort = enrollment.cohort
    today = enrollment_today(enrollment=enrollment, now=now)
    last_day = enrollment_cutoff_day(enrollment=enrollment)
    if day > today:
        errors["day"] = f"{day:%-d %b %Y} is still in the future where you are (today is {today:%-d %b %Y})."
    elif day < cohort.opens_on or day > last_day:
        errors["day"] = f"Pick a day inside the course: {cohort.opens_on:%-d %b %Y} to {last_day:%-d %b %Y}."
    if errors:
        raise ValidationError(errors)


def _day_is_full(*, already: int, day: dt.date) -> str:
    room = max(MINUTES_PER_DAY - already, 0)
    return (
        f"A day has 24 hours: you already logged {hours_display(already)} on {day:%-d %b}, "
        f"so at most {hours_display(room)} more (study and community time together) fits."
    )


def day_room_check(*, enrollment_id: int, day: dt.date, minutes: int, community_minutes: int, log_id: int | None = None) -> None:
    """The 24-hours-a-day rule for a log of `minutes` + `community_minutes` on `day` (replacing log `log_id`, if any),
    for writers that do not go through study_log_save (the admin's form); raises ValidationError keyed by field."""
    others = StudyLog.objects.filter(enrollment_id=enrollment_id, day=day).exclude(pk=log_id).values_list("minutes", "community_minutes")
    already = sum(m + c for m, c in others)
    if already + minutes + community_minutes > MINUTES_PER_DAY:
        raise ValidationError({"minutes": _day_is_full(already=already, day=day)})


def study_log_saved_words(*, log: StudyLog, created: bool, editing: bool = False) -> str:
    """What a student is told after a save, on the web and in chat alike."""
    what = f"{hours_display(log.minutes)} on {log.lesson} for {log.day:%a %-d %b}"
    if not editing and not created:
        return f"You had already logged that lesson that day, so we updated it: {what}."
    return f"Saved {what}."


def study_log_save(
    *,
    enrollment: Enrollment,
    day: dt.date,
    lesson: Lesson,
    minutes: int,
    community_minutes: int = 0,
    notes: str = "",
    log: StudyLog | None = None,
    now: dt.datetime | None = None,
) -> tuple[StudyLog, bool]:
    """Record time on a lesson for a day; returns (log, created).

    Without `log`, a second submit for the same day and lesson edits the
    existing log, so a double click or a resent form never makes two rows;
    the community time already on it (an event attended) stays.
    With `log`, that log is edited and may move to another day or lesson.
    A chat command adds to the log instead: `study_log_add`.
    """
    now = now or timezone.now()
    notes = notes or ""
    _study_log_check(
        enrollment=enrollment, day=day, minutes=minutes, community_minutes=community_minutes, notes=notes, now=now
    )
    with transaction.atomic():
        # One student's writes queue up behind the enrollment's row lock, so two concurrent saves can not each
        # see the other's minutes as absent (the 24-hours-a-day rule); a log moved to another student locks both.
        moved_from = log.enrollment_id if log is not None and log.enrollment_id != enrollment.pk else None
        enrollments_lock(enrollment_ids=[enrollment.pk, *([moved_from] if moved_from else [])])
        that_day = study_logs_on_day(enrollment=enrollment, day=day)
        same_slot = next((other for other in that_day if other.lesson_id == lesson.pk), None)
        if log is None and same_slot is not None:
            log = same_slot
            # The form that landed here never showed this log: the community time already on it (an event
            # attended adds it there) stays, and the form's own counts only where it is more.
            community_minutes = max(community_minutes, same_slot.community_minutes)
        elif same_slot is not None and log is not None and same_slot.pk != log.pk:
            raise ValidationError(
                {"lesson": f"You already logged {lesson} on {day:%-d %b}. Edit that log instead of adding another."}
            )
        already = sum(other.minutes + other.community_minutes for other in that_day if log is None or other.pk != log.pk)
        if already + minutes + community_minutes > MINUTES_PER_DAY:
            raise ValidationError({"minutes": _day_is_full(already=already, day=day)})
        created = log is None
        if created:
            log = StudyLog(enrollment=enrollment)
        log.day = day
        log.lesson = lesson
        log.minutes = minutes
        log.community_minutes = community_minutes
        log.notes = notes
        log.enrollment = enrollment
        log.save()
        rollups_refresh(enrollment_ids=[enrollment.pk, *([moved_from] if moved_from else [])])
    return log, created


def study_log_add(
    *,
    enrollment: Enrollment,
    day: dt.date,
    lesson: Lesson,
    minutes: int,
    community_minutes: int = 0,
    notes: str = "",
    now: dt.datetime | None = None,
) -> tuple[StudyLog, bool]:
    """Add time on a lesson for a day to what is already logged there; returns (log, created).

    For a chat command, where each message reports a new stretch of work: a second one on the same day and
    lesson adds its minutes (and community time) to the log, and its notes after the log's own, so nothing
    logged earlier (an event attended, the notes) is ever dropped. The rules of `study_log_save` hold.
    """
    now = now or timezone.now()
    notes = (notes or "").strip()
    _study_log_check(
        enrollment=enrollment, day=day, minutes=minutes, community_minutes=community_minutes, notes=notes, now=now
    )
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        that_day = study_logs_on_day(enrollment=enrollment, day=day)
        already = sum(other.minutes + other.community_minutes for other in that_day)
        if already + minutes + community_minutes > MINUTES_PER_DAY:
            raise ValidationError({"minutes": _day_is_full(already=already, day=day)})
        log = next((other for other in that_day if other.lesson_id == lesson.pk), None)
        created = log is None
        if created:
            log = StudyLog(enrollment=enrollment, day=day, lesson=lesson, minutes=0, community_minutes=0, notes="")
        joined = f"{log.notes.rstrip()}\n\n{notes}" if notes and log.notes.strip() else (notes or log.notes)
        if len(joined) > NOTES_MAX_LENGTH:
            raise ValidationError({"notes": (
                f"The notes of {lesson} on {day:%-d %b} would pass {NOTES_MAX_LENGTH:,} characters with these: "
                "shorten them, or edit the log on the site."
            )})
        log.minutes += minutes
        log.community_minutes += community_minutes
        log.notes = joined
        log.save()
        rollups_refresh(enrollment_ids=[enrollment.pk])
    return log, created


def study_log_subtract(*, enrollment: Enrollment, log_id: int, minutes: int) -> StudyLog | None:
    """Take back `minutes` that were added to the student's log `log_id` (an undo from chat); the log is deleted
    when no time is left on it. Returns the log as it is now, or None once deleted. Refused for a log that is gone
    or is not the student's, and for more minutes than the log holds now (it was edited since)."""
    if minutes <= 0:
        raise ValidationError("There is no time to take back.")
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        log = StudyLog.objects.select_related("lesson").filter(pk=log_id, enrollment=enrollment).first()
        if log is None:
            raise ValidationError("That log is gone: it was deleted since, perhaps on the site.")
        if log.minutes < minutes:
            raise ValidationError(
                f"That log now holds {hours_display(log.minutes)}, less than the {hours_display(minutes)} to take back: "
                "it was edited since, so edit it on the site."
            )
        log.minutes -= minutes
        if log.minutes == 0 and log.community_minutes == 0:
            log.delete()
            log = None
        else:
            log.save(update_fields=["minutes", "updated_at"])
        rollups_refresh(enrollment_ids=[enrollment.pk])
    return log


def community_time_add(*, enrollment: Enrollment, day: dt.date, minutes: int, now: dt.datetime | None = None) -> StudyLog:
    """Add community time (an event attended) to a day: onto that day's log with the most study time, or, with none
    that day, a log of community time alone on the lesson the student is on. The day's rules and the 24-hour rule hold."""
    now = now or timezone.now()
    _study_log_check(enrollment=enrollment, day=day, minutes=1, community_minutes=minutes, notes="", now=now)
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        that_day = study_logs_on_day(enrollment=enrollment, day=day)
        already = sum(other.minutes + other.community_minutes for other in that_day)
        if already + minutes > MINUTES_PER_DAY:
            raise ValidationError(_day_is_full(already=already, day=day))
        log = max(that_day, key=lambda other: (other.minutes, -other.pk), default=None)
        if log is None:
            lesson = lesson_current_for_enrollment(enrollment=enrollment) or Lesson.objects.order_by("-number").first()
            log = StudyLog(enrollment=enrollment, day=day, lesson=lesson, minutes=0, community_minutes=0)
        log.community_minutes += minutes
        log.save()
        rollups_refresh(enrollment_ids=[enrollment.pk])
    return log


@transaction.atomic
def study_log_delete(*, log: StudyLog) -> None:
    enrollments_lock(enrollment_ids=[log.enrollment_id])
    log.delete()
    rollups_refresh(enrollment_ids=[log.enrollment_id])


@transaction.atomic
def lesson_progress_set(
    *, enrollment: Enrollment, lesson: Lesson, done: bool, now: dt.datetime | None = None
) -> LessonProgress | None:
    """Mark a lesson done (today, in the student's zone) or not done; repeating either is harmless.

    The challenge project is done when it is handed in (`project_submit` marks it), and stays done.
    """
    if lesson.is_final_project and done != ProjectSubmission.objects.filter(enrollment=enrollment).exists():
        raise ValidationError(
            "Hand in your project on the project page: that is what finishing it means."
            if done else "Your project is handed in, which is what finishing it means; change it on the project page."
        )
    enrollments_lock(enrollment_ids=[enrollment.pk])
    if not done:
        LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).delete()
        rollups_refresh(enrollment_ids=[enrollment.pk])
        return None
    progress, _ = LessonProgress.objects.get_or_create(
        enrollment=enrollment,
        lesson=lesson,
        defaults={"completed_on": enrollment_today(enrollment=enrollment, now=now)},
    )
    rollups_refresh(enrollment_ids=[enrollment.pk])
    return progress
