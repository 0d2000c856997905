"""The opt-in weekly post to a cohort's channel: the week in numbers, newly shared summaries, the next events.

A post is recorded (one per cohort and week, a constraint) before it is sent, and marked when Slack accepted
it: a second beat finds the row and sends nothing; a failed send is retried by the task and by the next beat.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from slack_sdk.webhook import WebhookClient

from events.models import Event
from progress.models import Cohort, WeeklySummary
from progress.course_days import course_week
from review.selectors.cohorts import cohort_headline_with_change

from ..models import CohortChannel, WeeklyPost

POST_AT = dt.time(9, 0)
POST_UNTIL = dt.time(12, 0)
SUMMARIES_NAMED = 5
EVENTS_NAMED = 3


class SlackPostFailed(Exception):
    """Slack did not accept the post (its answer is kept on the row); the task retries."""


def weekly_post_text(*, cohort: Cohort, week_number: int, now: dt.datetime) -> str:
    """The post for the course week just ended (`week_number`), in Slack's mrkdwn (call with the rollups up to date)."""
    headline = cohort_headline_with_change(cohort=cohort, now=now)
    local = now.astimezone(ZoneInfo(cohort.time_zone)).date()
    week = course_week(cohort=cohort, day=local - dt.timedelta(days=7))
    lines = [f"*{cohort.name}: week {week_number} in numbers*"]
    for label, value, change in headline.labelled():
        lines.append(f"• {label}: {value}" + (f" ({change:+d} on last week)" if change else ""))
    shared = list(
        WeeklySummary.objects.filter(enrollment__cohort=cohort, is_shared=True, week_number=week.number)
        .select_related("enrollment__user").order_by("-updated_at")
    )
    if shared:
        names = ", ".join(summary.enrollment.user.get_short_name() for summary in shared[:SUMMARIES_NAMED])
        more = f" and {len(shared) - SUMMARIES_NAMED} more" if len(shared) > SUMMARIES_NAMED else ""
        lines.append(f"\n*{len(shared)} summar{'y' if len(shared) == 1 else 'ies'} shared for week {week.number}*, by {names}{more}: "
                     f"{settings.SITE_URL}{reverse('progress:community_summaries')}")
    upcoming = list(Event.objects.filter(cohort=cohort, starts_at__gt=now, cancelled_at__isnull=True).order_by("starts_at")[:EVENTS_NAMED])
    if upcoming:
        lines.append("\n*Coming up*")
        for event in upcoming:
            # Slack shows <!date^...> in each reader's own zone.
            stamp = int(event.starts_at.timestamp())
            lines.append(f"• {event.title} with {event.host}: <!date^{stamp}^{{date_short_pretty}} {{time}}|{event.starts_at:%d %b %H:%M} UTC>")
    return "\n".join(lines)


def weekly_posts_due(*, now: dt.datetime | None = None, enqueue: Callable[[int], object]) -> int:
    """Each opted-in cohort on the first morning of a course week (week 2 on): record its post, hand it to the task."""
    now = now or timezone.now()
    made = 0
    for channel in CohortChannel.objects.filter(weekly_post=True).select_related("cohort"):
        cohort = channel.cohort
        local = now.astimezone(ZoneInfo(cohort.time_zone))
        week = course_week(cohort=cohort, day=local.date())
        if not (POST_AT <= local.time() < POST_UNTIL and local.date() == week.starts_on and week.number >= 2):
            continue
        if local.date() > cohort.cutoff_local.date() + dt.timedelta(days=7):
            continue
        number = week.number - 1
        post = WeeklyPost.objects.filter(cohort=cohort, week_number=number).first()
        if post is None:
            try:
                with transaction.atomic():
                    post = WeeklyPost.objects.create(cohort=cohort, week_number=number,
                                                     text=weekly_post_text(cohort=cohort, week_number=number, now=now))
            except IntegrityError:  # another beat recorded it meanwhile
                post = WeeklyPost.objects.get(cohort=cohort, week_number=number)
        if post.posted_at is not None:
            continue
        transaction.on_commit(lambda pk=post.pk: enqueue(pk))
        made += 1
    return made


def weekly_post_send(*, post_id: int) -> bool:
    """Send a recorded post unless it went already; True if this call sent it."""
    with transaction.atomic():
        post = WeeklyPost.objects.select_for_update(of=("self",)).select_related("cohort__slack_channel").get(pk=post_id)
        if post.posted_at is not None:
            return False
        post.attempts += 1
        post.save(update_fields=["attempts"])
    response = WebhookClient(post.cohort.slack_channel.webhook_url, timeout=10).send(text=post.text, unfurl_links=False)
    if response.status_code != 200:
        WeeklyPost.objects.filter(pk=post.pk).update(error=f"{response.status_code}: {response.body}"[:2000])
        raise SlackPostFailed(f"Slack answered {response.status_code}")
    WeeklyPost.objects.filter(pk=post.pk, posted_at__isnull=True).update(posted_at=timezone.now(), error="")
    return True
