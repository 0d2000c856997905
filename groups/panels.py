"""What groups add to pages of the apps below: the dashboard's group card."""

from .selectors import group_card


def group_card_context(*, request, enrollment) -> dict | None:
    card = group_card(enrollment=enrollment)
    return {"card": card} if card is not None else {"card": None, "enrollment": enrollment}
