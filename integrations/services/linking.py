"""Tying a Slack user to a student with the one-time code their profile shows, and untying it.

A code is 80 random bits, works once, and only within the hour after it was made; tries to use one are
counted per Slack user and per client address (accounts.throttling's counters), so guessing gets nowhere.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.throttling import over_limit
from progress.models import Enrollment

from ..models import LINK_CODE_LENGTH, LINK_CODE_LIFETIME, SlackLink, SlackLinkCode, link_code_typed, new_link_code

LINK_TRIES_PER_SLACK_USER_PER_HOUR = 10
# Slack sends every workspace's commands from its own few addresses: this one is high enough for a whole
# cohort linking in its first hour, and stops a flood of guesses all the same.
LINK_TRIES_PER_ADDRESS_PER_HOUR = 1_000


def link_code_fresh(*, enrollment: Enrollment, now: dt.datetime | None = None) -> SlackLinkCode | None:
    """The student's code while it still links, for the profile to show; None once it is used or expired."""
    now = now or timezone.now()
    return SlackLinkCode.objects.filter(enrollment=enrollment, created_at__gt=now - LINK_CODE_LIFETIME).first()


@transaction.atomic
def link_code_for(*, enrollment: Enrollment, now: dt.datetime | None = None) -> SlackLinkCode:
    """The student's code: the one shown already while it links, otherwise a new one, good for an hour."""
    now = now or timezone.now()
    code, created = SlackLinkCode.objects.select_for_update().get_or_create(enrollment=enrollment)
    if not created and code.created_at <= now - LINK_CODE_LIFETIME:
        code.code, code.created_at = new_link_code(), now
        code.save(update_fields=["code", "created_at"])
    return code


def link_tries_over_limit(*, team_id: str, slack_user_id: str, address: str | None) -> bool:
    """Count one try at a link code; True once this Slack user, or this address, has tried too often this hour.

    Open while the counters are down: a code is 80 bits and lives an hour, so an outage's guesses find
    nothing, while turning students away would cost them the link.
    """
    by_user = over_limit(key=f"slack-link:user:{team_id}:{slack_user_id}", limit=LINK_TRIES_PER_SLACK_USER_PER_HOUR, window_seconds=3600)
    by_address = over_limit(key=f"slack-link:ip:{address or 'unknown'}", limit=LINK_TRIES_PER_ADDRESS_PER_HOUR, window_seconds=3600)
    return bool(by_user or by_address)


@transaction.atomic
def slack_link(*, team_id: str, slack_user_id: str, code: str, now: dt.datetime | None = None) -> Enrollment | None:
    """Use up a code: the Slack user now acts for its student (replacing any earlier link of either).

    None if the code is unknown, used, or older than LINK_CODE_LIFETIME.
    """
    now = now or timezone.now()
    typed = link_code_typed(code)
    if len(typed) != LINK_CODE_LENGTH:
        return None
    found = SlackLinkCode.objects.select_for_update().select_related("enrollment__user", "enrollment__cohort").filter(
        code=typed, created_at__gt=now - LINK_CODE_LIFETIME
    ).first()
    if found is None:
        return None
    enrollment = found.enrollment
    SlackLink.objects.filter(team_id=team_id, slack_user_id=slack_user_id).delete()
    SlackLink.objects.filter(enrollment=enrollment).delete()
    try:
        with transaction.atomic():
            SlackLink.objects.create(enrollment=enrollment, team_id=team_id, slack_user_id=slack_user_id)
    except IntegrityError:
        return None
    found.delete()  # one time only
    return enrollment


def slack_unlink(*, enrollment: Enrollment) -> bool:
    deleted, _ = SlackLink.objects.filter(enrollment=enrollment).delete()
    SlackLinkCode.objects.filter(enrollment=enrollment).delete()  # a fresh code next time
    return bool(deleted)


def enrollment_for_slack_user(*, team_id: str, slack_user_id: str) -> Enrollment | None:
    link = SlackLink.objects.select_related("enrollment__user", "enrollment__cohort").filter(
        team_id=team_id, slack_user_id=slack_user_id
    ).first()
    return link.enrollment if link else None
