"""The study calendar on the dashboard uses the width it is given, as GitHub's does: at a desk its column beside the
hours chart (no longer a 180 px stamp on a 1280 px screen), on a phone the screen's width, its cells big enough to
point at and its day and month names readable."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def calendar(page) -> dict:
    return page.evaluate(
        """() => {
          const svg = document.querySelector('#calendar-heading').parentElement.querySelector('svg');
          const section = svg.closest('section');
          const style = getComputedStyle(section);
          const column = section.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const box = svg.getBoundingClientRect();
          return {
            width: box.width, right: box.right, column,
            cell: Math.min(...[...svg.querySelectorAll('rect')].map(rect => rect.getBoundingClientRect().width)),
            words: Math.min(...[...svg.querySelectorAll('text')].map(text => text.getBoundingClientRect().height)),
          };
        }"""
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_calendar_fills_its_column_with_cells_to_point_at_and_words_to_read(signed_in, studious, width):
    page = signed_in(studious.user, width)
    page.goto(page.base + "/dashboard/")
    found = calendar(page)
    assert found["width"] >= found["column"] - 1, found  # the whole of its column
    assert found["width"] >= (300 if width == 1280 else 0.9 * 351), found
    assert found["right"] <= width, found
    assert found["cell"] >= 18, found  # px
    assert found["words"] >= 9, found  # px
