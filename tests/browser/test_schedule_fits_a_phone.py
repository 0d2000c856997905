"""The plan on a phone: the timeline and every lesson's "move the last day" field and button are on the screen,
nothing in an inner box that scrolls sideways, and the timeline's words are still readable; at a desk the timeline
spans the page."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def layout(page) -> dict:
    return page.evaluate(
        """() => {
          const right = (el) => el.getBoundingClientRect().right;
          const timeline = document.querySelector('#timeline-heading').parentElement.querySelector('svg');
          const scrollers = [...document.querySelectorAll('main *')].filter(el => {
            const style = getComputedStyle(el);
            return (style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1;
          });
          const moves = [...document.querySelectorAll('form[action*="/move/"]')];
          return {
            screen: window.innerWidth,
            timelineRight: right(timeline), timelineWidth: timeline.getBoundingClientRect().width,
            smallestWord: Math.min(...[...timeline.querySelectorAll('text')]
              .filter(t => getComputedStyle(t).display !== 'none').map(t => t.getBoundingClientRect().height)),
            scrollers: scrollers.map(el => el.className),
            moves: moves.length,
            movesRight: Math.max(...moves.flatMap(form => [...form.querySelectorAll('input, button')].map(right))),
          };
        }"""
    )


def test_on_a_phone_the_timeline_and_the_move_controls_are_on_the_screen(signed_in, world):
    page = signed_in("student", 375)
    page.goto(page.base + "/schedule/")
    found = layout(page)
    assert found["moves"] >= 5, found
    assert found["scrollers"] == [], found
    assert found["timelineRight"] <= found["screen"], found
    assert found["movesRight"] <= found["screen"], found
    assert found["smallestWord"] >= 9, found  # px: a label scaled down to a phone's width would be about 5


def test_at_a_desk_the_timeline_spans_the_page(signed_in, world):
    page = signed_in("student", 1280)
    page.goto(page.base + "/schedule/")
    found = layout(page)
    assert found["timelineWidth"] >= 0.95 * 1116, found  # the container's width at 1280 px
    assert found["scrollers"] == [], found
