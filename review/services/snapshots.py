"""The cohort's daily snapshots: its headline numbers kept per day, so pages and digests show the change."""

import datetime as dt

from django.utils import timezone

from progress.models import Cohort

from ..models import CohortSnapshot
from ..selectors.cohorts import cohort_headline, cohort_today


def cohort_snapshot_take(*, cohort: Cohort, now: dt.datetime | None = None) -> CohortSnapshot:
    """Store (or overwrite) today's headline numbers for the cohort; running it again is harmless."""
    headline = cohort_headline(cohort=cohort, now=now)
    snapshot, _ = CohortSnapshot.objects.update_or_create(
        cohort=cohort, day=cohort_today(cohort=cohort, now=now), defaults=headline.__dict__
    )
    return snapshot


def cohort_snapshots_take(*, now: dt.datetime | None = None) -> int:
    """Snapshots for every cohort still running or closed within the last 30 days."""
    now = now or timezone.now()
    cohorts = Cohort.objects.filter(cutoff_at__gt=now - dt.timedelta(days=30), opens_on__lte=now.date() + dt.timedelta(days=1))
    count = 0
    for cohort in cohorts:
        cohort_snapshot_take(cohort=cohort, now=now)
        count += 1
    return count
