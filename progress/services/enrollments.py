"""Joining a cohort and a student's own choices: zone, goals, emails."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.forms import nul_characters_check, single_line
from common.timezones import canonical_time_zone, is_time_zone

from ..models import Cohort, Enrollment
from ..selectors.enrollments import cohort_open_for_signup
from .rollups import enrollments_lock, rollups_refresh

ACCOUNT_EXISTS = "An account with this email already exists. Log in or reset your password."


def _time_zone_check(time_zone: str) -> str:
    """The zone under its current name (Asia/Calcutta is stored as Asia/Kolkata); ValidationError if unknown."""
    time_zone = canonical_time_zone(time_zone)
    if not is_time_zone(time_zone):
        raise ValidationError({"time_zone": f"“{time_zone}” is not a time zone we know."})
    return time_zone


def enrollment_create(
    *, user, cohort: Cohort, time_zone: str, weekday_goal_hours: Decimal | None = None, weekend_goal_hours: Decimal | None = None
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
        rollups_refresh(enrollment_ids=[enrollment.pk])  # on the cohort page at once, with its numbers
    return enrollment


@transaction.atomic
def student_sign_up(*, email: str, full_name: str, password: str, time_zone: str, now: dt.datetime | None = None):
    """Create the account and enroll it in the cohort open for sign-up, both or neither."""
    nul_characters_check(email=email, full_name=full_name)
    cohort = cohort_open_for_signup(now=now)
    if cohort is None:
        raise ValidationError("Sign-up is closed: no cohort is taking new students right now.")
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).lower()
    if user_model.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ACCOUNT_EXISTS})
    time_zone = _time_zone_check(time_zone)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(email=email, password=password, full_name=single_line(full_name))
    except IntegrityError as exc:  # the same form sent twice at once: the first one won
        raise ValidationError({"email": ACCOUNT_EXISTS}) from exc
    enrollment_create(user=user, cohort=cohort, time_zone=time_zone)
    return user


@transaction.atomic
def enrollment_preferences_update(
    *, enrollment: Enrollment, full_name: str, time_zone: str, weekday_goal_hours: Decimal, weekend_goal_hours: Decimal,
    wants_reminders: bool, wants_digests: bool, wants_nudges: bool = True, calendar_all_events: bool = False,
    wants_event_reminders: bool = True,
) -> Enrollment:
    nul_characters_check(full_name=full_name)
    enrollments_lock(enrollment_ids=[enrollment.pk])
    enrollment.time_zone = _time_zone_check(time_zone)
    enrollment.weekday_goal_hours = weekday_goal_hours
    enrollment.weekend_goal_hours = weekend_goal_hours
    enrollment.wants_reminders = wants_reminders
    enrollment.wants_digests = wants_digests
    enrollment.wants_nudges = wants_nudges
    enrollment.calendar_all_events = calendar_all_events
    enrollment.wants_event_reminders = wants_event_reminders
    enrollment.full_clean()
    enrollment.save(update_fields=["time_zone", "weekday_goal_hours", "weekend_goal_hours", "wants_reminders", "wants_digests", "wants_nudges",
                                    "calendar_all_events", "wants_event_reminders"])
    user = enrollment.user
    user.full_name = single_line(full_name)  # one line: a line break would reach the subjects of emails naming them
    user.save(update_fields=["full_name"])
    rollups_refresh(enrollment_ids=[enrollment.pk])  # a new zone moves the cut-off's local day, so the day they turn late
    return enrollment
