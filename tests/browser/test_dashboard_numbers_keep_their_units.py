"""A number and its unit read as one: "113 h 45 min" on one line on the dashboard's cards, at a desk and on a phone,
and never wider than its card or the screen."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_durations_on_the_cards_stay_on_one_line_inside_their_card(signed_in, studious, width):
    page = signed_in(studious.user, width)
    page.goto(page.base + "/dashboard/")
    assert page.text_content("[data-testid=total-hours]") == "113 h 45 min"
    assert page.text_content("[data-testid=community-hours]") == "7 h 30 min"
    cards = page.evaluate(
        """() => ['total-hours', 'week-hours', 'community-hours', 'days-studied', 'lessons-done'].map(id => {
          const value = document.querySelector(`[data-testid=${id}]`);
          const words = document.createRange();
          words.selectNodeContents(value);
          const card = value.closest('.card').getBoundingClientRect();
          const text = words.getBoundingClientRect();
          return {id, text: value.innerText, lines: words.getClientRects().length, fontSize: parseFloat(getComputedStyle(value).fontSize),
                  inside: text.left >= card.left && text.right <= card.right};
        })"""
    )
    for card in cards:
        assert card["lines"] == 1, card
        assert card["inside"], card
        assert card["fontSize"] >= 16, card  # shrunk to fit, never to unreadable
    assert page.evaluate("document.documentElement.scrollWidth") <= width
