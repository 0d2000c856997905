"""What the chat integration adds to pages below it: the profile's link code, or the linked account and "Unlink"."""

from zoneinfo import ZoneInfo

from .models import SlackLink
from .services.linking import link_code_fresh


def profile_slack_context(*, request, enrollment) -> dict:
    link = SlackLink.objects.filter(enrollment=enrollment).first()
    code = None if link else link_code_fresh(enrollment=enrollment)
    expires = code.expires_at.astimezone(ZoneInfo(enrollment.time_zone)) if code else None
    return {"link": link, "code": code.display if code else None, "expires": f"{expires:%H:%M}" if expires else None}
