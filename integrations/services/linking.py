"""Tying a Slack user to a student with the one-time code their profile shows, and untying it."""

from django.db import IntegrityError, transaction

from progress.models import Enrollment

from ..models import SlackLink, SlackLinkCode


def link_code_for(*, enrollment: Enrollment) -> str:
    code, _ = SlackLinkCode.objects.get_or_create(enrollment=enrollment)
    return code.code


@transaction.atomic
def slack_link(*, team_id: str, slack_user_id: str, code: str) -> Enrollment | None:
    """Use up a code: the Slack user now acts for its student (replacing any earlier link of either). None if unknown."""
    found = SlackLinkCode.objects.select_for_update().select_related("enrollment__user", "enrollment__cohort").filter(
        code=code.strip().upper()
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
