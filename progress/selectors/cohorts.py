"""Which cohort a page is about."""

import datetime as dt

from django.http import Http404
from django.utils import timezone

from ..models import Cohort, RollupRebuild


def cohort_for_staff(*, slug: str | None = None, now: dt.datetime | None = None) -> Cohort:
    """The cohort staff asked for, or the running one (open, soonest cut-off), or the latest."""
    if slug:
        cohort = Cohort.objects.filter(slug=slug).first()
        if cohort is None:
            raise Http404("No such cohort.")
        return cohort
    now = now or timezone.now()
    cohort = Cohort.objects.filter(cutoff_at__gt=now).order_by("cutoff_at").first() or Cohort.objects.order_by("-opens_on").first()
    if cohort is None:
        raise Http404("No cohort yet.")
    return cohort


def cohort_rebuilds_running(*, cohort: Cohort) -> list[RollupRebuild]:
    """Cohort-wide recomputes queued or running (after an estimate or cut-off edit), for staff to watch."""
    return list(cohort.rollup_rebuilds.filter(state__in=[RollupRebuild.State.WAITING, RollupRebuild.State.APPLYING]).order_by("created_at"))
