"""The one thing a write does for what is derived from it: move the student's version on."""

from collections.abc import Iterable

from django.db.models import F

from ..models import Enrollment


def dashboard_version_bump(*, enrollment_ids: Iterable[int]) -> None:
    """After a write a student's dashboard shows: their cached drawing (keyed by this version) is drawn again
    on the next view, and their rollup is stale until `review` recomputes it.

    Call it in the transaction of the write, so a reader sees the new version and the new rows together;
    the UPDATE also takes the enrollment's row lock until then.
    """
    Enrollment.objects.filter(pk__in=list(enrollment_ids)).update(dashboard_version=F("dashboard_version") + 1)
