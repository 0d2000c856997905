"""Writes for the progress app. Every rule a student can break is checked here, in the transaction."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lessons.models import Lesson
from scholarship.forms import nul_characters_check
from scholarship.timezones import canonical_time_zone, hours_display, is_time_zone

from .. import selectors
from ..models import MINUTES_PER_DAY, NOTES_MAX_LENGTH, Cohort, Enrollment, LessonProgress, ProjectSubmission, StudyLog
from .rollups import dashboard_version_bump, rollup_refresh


ACCOUNT_EXISTS = "An account with this email already exists. Log in or reset your password."


def _time_zone_check(time_zone: str) -> str:
    """The zone under its current name (Asia/Calcutta is stored as Asia/Kolkata); ValidationError if unknown."""
    time_zone = canonical_time_zone(time_zone)
    if not is_time_zone(time_zone):
        raise ValidationError({"time_zone": f"“{time_zone}” is not a time zone we know."})
    return time_zone


def enrollment_create(
    *,
    user,
    cohort: Cohort,
    time_zone: str,
    weekday_goal_hours: Decimal | None = None,
    weekend_goal_hours: Decimal | None = None,
) -> Enrollment:
    time_zone = _time_zone_check(time_zone)
    enrollment = Enrollment(user=user, cohort=cohort, time_zone=time_zone)
    if weekday_goal_hours is not None:
        enrollment.weekday_goal_hours = weekday_goal_hours
    if weekend_goal_hours is not None:
        enrollment.weekend_goal_hours = weekend_goal_hours
    enrollment.full_clean()
    with transaction.atomic():
        enrollment.save()
        rollup_refresh(enrollment=enrollment)
    return enrollment


@transaction.atomic
def student_sign_up(*, email: str, full_name: str, password: str, time_zone: str, now: dt.datetime | None = None):
    """Create the account and enrol it in the cohort open for sign-up, both or neither."""
    nul_characters_check(email=email, full_name=full_name)
    cohort = selectors.cohort_open_for_signup(now=now)
    if cohort is None:
        raise ValidationError("Sign-up is closed: no cohort is taking new students right now.")
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).lower()
    if user_model.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ACCOUNT_EXISTS})
    time_zone = _time_zone_check(time_zone)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(email=email, password=password, full_name=full_name.strip())
    except IntegrityError as exc:  # the same form sent twice at once: the first one won
        raise ValidationError({"email": ACCOUNT_EXISTS}) from exc
    enrollment_create(user=user, cohort=cohort, time_zone=time_zone)
    return user


@transaction.atomic
def enrollment_preferences_update(
    *,
    enrollment: Enrollment,
    full_name: str,
    time_zone: str,
    weekday_goal_hours: Decimal,
    weekend_goal_hours: Decimal,
    wants_reminders: bool,
    wants_digests: bool,
) -> Enrollment:
    nul_characters_check(full_name=full_name)
    time_zone = _time_zone_check(time_zone)
    enrollment.time_zone = time_zone
    enrollment.weekday_goal_hours = weekday_goal_hours
    enrollment.weekend_goal_hours = weekend_goal_hours
    enrollment.wants_reminders = wants_reminders
    enrollment.wants_digests = wants_digests
    enrollment.full_clean()
    enrollment.save()
    user = enrollment.user
    user.full_name = full_name.strip()
    user.save(update_fields=["full_name"])
    rollup_refresh(enrollment=enrollment)  # a new zone or goal moves today, safe days and risk
    return enrollment


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
    today = selectors.enrollment_today(enrollment=enrollment, now=now)
    last_day = selectors.enrollment_cutoff_day(enrollment=enrollment)
    if day > today:
        errors["day"] = f"{day:%-d %b %Y} is still in the future where you are (today is {today:%-d %b %Y})."
    elif day < cohort.opens_on or day > last_day:
        errors["day"] = f"Pick a day inside the course: {cohort.opens_on:%-d %b %Y} to {last_day:%-d %b %Y}."
    if errors:
        raise ValidationError(errors)


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
    existing log, so a double click or a resent form never makes two rows.
    With `log`, that log is edited and may move to another day or lesson.
    """
    now = now or timezone.now()
    notes = notes or ""
    _study_log_check(
        enrollment=enrollment, day=day, minutes=minutes, community_minutes=community_minutes, notes=notes, now=now
    )
    with transaction.atomic():
        # One student's writes queue up behind the enrolment's row lock, which moving the dashboard version
        # on takes, so two concurrent saves can not each see the other's minutes as absent. The rollup, now
        # stale, is recomputed by the next staff read or the catch-up job, not in this request.
        dashboard_version_bump(enrollment_ids=[enrollment.pk])
        that_day = selectors.study_logs_on_day(enrollment=enrollment, day=day)
        same_slot = next((other for other in that_day if other.lesson_id == lesson.pk), None)
        if log is None:
            log = same_slot
        elif same_slot is not None and same_slot.pk != log.pk:
            raise ValidationError(
                {"lesson": f"You already logged {lesson} on {day:%-d %b}. Edit that log instead of adding another."}
            )
        already = sum(other.minutes + other.community_minutes for other in that_day if log is None or other.pk != log.pk)
        if already + minutes + community_minutes > MINUTES_PER_DAY:
            room = max(MINUTES_PER_DAY - already, 0)
            raise ValidationError(
                {
                    "minutes": (
                        f"A day has 24 hours: you already logged {hours_display(already)} on {day:%-d %b}, "
                        f"so at most {hours_display(room)} more (study and community time together) fits."
                    )
                }
            )
        created = log is None
        if created:
            log = StudyLog(enrollment=enrollment)
        log.day = day
        log.lesson = lesson
        log.minutes = minutes
        log.community_minutes = community_minutes
        log.notes = notes
        log.save()
    return log, created


@transaction.atomic
def study_log_delete(*, log: StudyLog) -> None:
    enrollment = log.enrollment
    log.delete()
    rollup_refresh(enrollment=enrollment)


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
    if not done:
        LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).delete()
        rollup_refresh(enrollment=enrollment, now=now)
        return None
    progress, _ = LessonProgress.objects.get_or_create(
        enrollment=enrollment,
        lesson=lesson,
        defaults={"completed_on": selectors.enrollment_today(enrollment=enrollment, now=now)},
    )
    rollup_refresh(enrollment=enrollment, now=now)
    return progress
