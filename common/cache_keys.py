"""Every key the site caches under, defined here and nowhere else (Zulip's zerver/lib/cache.py).

Only what many people share is cached: a cohort's charts. No page, fragment or per-person value is, and no
key is built from request parameters. Entries carry the release's KEY_PREFIX (settings), so a deploy never
reads the entries of the release before it; saving what an entry was built from deletes it.
"""

from django.core.cache import cache


def cohort_charts(*, cohort_id: int) -> str:
    """A cohort's funnel, hours per day and hours histogram (review.selectors.cohorts.cohort_charts)."""
    return f"cohort-charts:{cohort_id}"


def cohort_charts_forget(*, cohort_ids: list[int]) -> None:
    """Delete these cohorts' charts: call on commit of an edit they were built from (a cohort, a lesson)."""
    cache.delete_many([cohort_charts(cohort_id=pk) for pk in cohort_ids])
