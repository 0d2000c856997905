"""Background jobs of the chat integration: the weekly channel post."""

from celery import shared_task

from common.jobs import RETRY, SERVICE_ERRORS

from .services import weekly


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True,
             autoretry_for=(weekly.SlackPostFailed, OSError, *SERVICE_ERRORS), **RETRY)
def weekly_post_send(post_id: int) -> bool:
    """One cohort's week to its channel; the row makes a retry or a second delivery post nothing twice."""
    return weekly.weekly_post_send(post_id=post_id)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150, ignore_result=True, autoretry_for=SERVICE_ERRORS, **RETRY)
def weekly_posts_due() -> int:
    """Every 15 minutes: opted-in cohorts whose week has just begun get their post."""
    return weekly.weekly_posts_due(enqueue=weekly_post_send.delay)
