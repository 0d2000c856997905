"""What the chat integration adds to pages below it: the profile's link code, or the linked account and "Unlink"."""

from .models import SlackLink, SlackLinkCode


def profile_slack_context(*, request, enrollment) -> dict:
    link = SlackLink.objects.filter(enrollment=enrollment).first()
    code = None if link else SlackLinkCode.objects.filter(enrollment=enrollment).values_list("code", flat=True).first()
    return {"link": link, "code": code}
