"""Who may call what: a read token never writes, student endpoints need an enrollment, staff endpoints staff."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from progress.models import Enrollment
from progress.selectors.enrollments import enrollment_current_for_user

from .models import AccessToken


def api_enrollment(request) -> Enrollment | None:
    """The current enrollment of whoever the API request authenticated as (a token's owner, or the session's
    person), read once per request. Kept on DRF's request itself: the Django request underneath is the session's,
    which for a token request is anonymous."""
    if "_api_enrollment" not in vars(request):
        request._api_enrollment = enrollment_current_for_user(user=request.user)
    return request._api_enrollment


class TokenScopeAllows(BasePermission):
    """A token made for reading may read only (403 on any write); sessions and write tokens may do both."""

    message = "This token can only read: make a token with read and write scope on your profile to change anything."
    code = "read_only_token"

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return request.method in SAFE_METHODS or not isinstance(token, AccessToken) or token.may_write


class IsStudent(BasePermission):
    message = "Only a student enrolled in a cohort has this: your account has no enrollment."
    code = "not_enrolled"

    def has_permission(self, request, view) -> bool:
        return api_enrollment(request) is not None


class IsStaff(BasePermission):
    message = "Staff only."
    code = "staff_only"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)
