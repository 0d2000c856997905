"""What every page's header shows: the student's running timer."""

from .selectors import timer_for_request


def running_timer(request) -> dict:
    """`running_timer`, read on first use in a template (a callable: templates call it), once per request, so a
    page without the header pays nothing and a page with it one query."""
    return {"running_timer": lambda: timer_for_request(request)}
