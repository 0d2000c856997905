"""Signing a request in reads the user; every student page then reads their enrolment. One query does both."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import selectors


class CurrentEnrollmentBackend(ModelBackend):
    """Django's ModelBackend, whose per-request user comes with the student's current enrolment attached.

    Django still checks the session against the user's password hash as always; staff without an
    enrolment fall back to the plain user query.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Stop here: Django's ModelBackend, listed after this one only for sessions signed in before it,
            # would hash the same wrong password a second time. Django still reports the failed login.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        enrollment = selectors.enrollment_current_with_user(user_id=user_id)
        if enrollment is None:
            user = super().get_user(user_id)
            if user is not None:
                user.current_enrollment = None
            return user
        user = enrollment.user
        user.current_enrollment = enrollment
        return user if self.user_can_authenticate(user) else None
