"""One-click unsubscribe (RFC 8058): the signed token in every email, and what it turns off."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction

from progress.models import Enrollment

from ..models import Notification
from .preferences import ENROLLMENT_CHOICES, STAFF_CHOICE

Kind = Notification.Kind
UNSUBSCRIBE_SALT = "scholarship.unsubscribe"  # as first issued: tokens already in inboxes keep working


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[int, str]:
    """The (user id, kind) a token names; raises signing.BadSignature if it was tampered with or is malformed.

    A token signed with our key but not of our making (the key leaked, or a future format) is
    treated like a forged one: no id is trusted that is not a plain positive integer.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        raise signing.BadSignature("unknown kind")
    user_id = data.get("u")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**63:
        raise signing.BadSignature("malformed user")
    return user_id, data["k"]


@transaction.atomic
def unsubscribe_apply(*, user_id: int, kind: str) -> None:
    """Turn off the choice this kind of email honours (preferences.ENROLLMENT_CHOICES), for every enrolment of the
    user; repeating it is harmless."""
    if kind in ENROLLMENT_CHOICES:
        Enrollment.objects.filter(user_id=user_id).update(**{ENROLLMENT_CHOICES[kind]: False})
    else:
        get_user_model().objects.filter(pk=user_id).update(**{STAFF_CHOICE: False})
