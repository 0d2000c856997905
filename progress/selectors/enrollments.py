"""Which cohort and enrollment a request is about, and the student's own calendar."""

import datetime as dt

from django.utils import timezone

from common.timezones import local_today

from ..models import Cohort, Enrollment
from ..course_days import cutoff_day


def cohort_open_for_signup(*, now: dt.datetime | None = None) -> Cohort | None:
    """The cohort a new student joins: taking sign-ups and not yet closed, soonest cut-off first."""
    return Cohort.objects.filter(accepts_signups=True, cutoff_at__gt=now or timezone.now()).order_by("cutoff_at").first()


def enrollment_current_for_user(*, user) -> Enrollment | None:
    """The student's enrollment in their most recent cohort, or None for staff who only run it (one query).

    A student has one enrollment a cohort, so a handful at most: they are read unordered (the model's ordering
    joins two tables) and the latest cohort's is picked here.
    """
    if not user.is_authenticated:
        return None
    enrollments = list(Enrollment.objects.select_related("cohort").filter(user_id=user.pk).order_by())
    if not enrollments:
        return None
    enrollment = max(enrollments, key=lambda enrollment: (enrollment.cohort.opens_on, enrollment.pk))
    enrollment.user = user  # the very row the request already holds: no join, no second copy
    return enrollment


def enrollment_for_request(request) -> Enrollment | None:
    """The signed-in student's current enrollment, read once per request on first use (the page and its menu share it)."""
    if not hasattr(request, "_current_enrollment"):
        request._current_enrollment = enrollment_current_for_user(user=request.user)
    return request._current_enrollment


def enrollment_today(*, enrollment: Enrollment, now: dt.datetime | None = None) -> dt.date:
    return local_today(time_zone=enrollment.time_zone, now=now)


def enrollment_cutoff_day(*, enrollment: Enrollment) -> dt.date:
    return cutoff_day(enrollment=enrollment)
