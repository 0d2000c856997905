"""What timers add to pages of the apps below: the dashboard's timer card."""

from .selectors import lessons_to_start, timer_for_request


def timer_card_context(*, request, enrollment) -> dict:
    shown = timer_for_request(request)
    if shown is not None:
        return {"shown": shown}
    lessons, suggested = lessons_to_start(enrollment=enrollment)
    return {"shown": None, "lessons": lessons, "suggested": suggested}
