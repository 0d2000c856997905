"""Signing a request in reads the user; every student page then reads their enrolment. One query does both."""

from django.contrib.auth.backends import ModelBackend

from . import selectors


class CurrentEnrollmentBackend(ModelBackend):
    """Django's ModelBackend, whose per-request user comes with the student's current enrolment attached.

    Django still checks the session against the user's password hash as always; staff without an
    enrolment fall back to the plain user query.
    """

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
