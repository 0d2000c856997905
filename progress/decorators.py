from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .selectors.enrollments import enrollment_for_request


def enrollment_required(view):
    """Log-in required, and the student's current enrollment passed to the view as `enrollment`.

    The student's time zone is active while the view and its template run. Someone signed in without
    an enrollment (staff who only run the cohort) gets a page saying so rather than an error.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        enrollment = enrollment_for_request(request)
        if enrollment is None:
            return render(request, "progress/not_enrolled.html", status=403)
        # Times on the student's pages read in their own zone.
        with timezone.override(enrollment.time_zone):
            return view(request, *args, enrollment=enrollment, **kwargs)

    return wrapper
