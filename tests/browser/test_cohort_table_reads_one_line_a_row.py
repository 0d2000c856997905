"""Staff scan the cohort's students row by row: one line a row at a desk and on a phone, however long a name, an
email address or a group's name; what is cut short says all of it in its title; on a phone the names stay in view
while the table scrolls sideways in its own box."""

import pytest

from tests.browser.world import LONG_EMAIL, LONG_GROUP, LONG_NAME

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TABLE = "[data-testid=student-table]"


def rows_and_cells(page) -> dict:
    return page.evaluate(
        """(selector) => {
          const table = document.querySelector(selector);
          const box = table.closest('.table-responsive');
          const rows = [...table.tBodies[0].rows];
          const lineHeight = parseFloat(getComputedStyle(rows[0].cells[1]).lineHeight);
          const long = rows.find(row => row.cells[0].title.startsWith('Maria'));
          return {
            rows: rows.length, lineHeight,
            tallest: Math.max(...rows.map(row => row.cells[1].getBoundingClientRect().height)),
            cells: [...long.cells].slice(0, 3).map(cell => ({title: cell.title, cut: cell.scrollWidth > cell.clientWidth})),
            tableWidth: table.scrollWidth, boxWidth: box.clientWidth,
          };
        }""",
        TABLE,
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_every_student_is_one_line_and_long_values_are_cut_with_a_title(signed_in, world, width):
    page = signed_in("staff", width)
    page.goto(page.base + "/cohort/")
    table = rows_and_cells(page)
    assert table["rows"] >= 25
    # A cell's content box holds one line; its padding adds under half a line more.
    assert table["tallest"] < 1.6 * table["lineHeight"] + 8, table
    assert [cell["title"] for cell in table["cells"]] == [LONG_NAME, LONG_EMAIL, LONG_GROUP]
    assert all(cell["cut"] for cell in table["cells"]), table["cells"]
    if width == 1280:
        assert table["tableWidth"] <= table["boxWidth"], "at a desk the whole row is in view, no sideways scroll"


def test_on_a_phone_the_names_stay_in_view_while_the_table_scrolls_sideways(signed_in, world):
    page = signed_in("staff", 375)
    page.goto(page.base + "/cohort/")
    box = page.locator(".table-responsive", has=page.locator(TABLE))
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    first_name = page.locator(f"{TABLE} tbody tr").first.locator("td").first
    left, box_left = first_name.bounding_box()["x"], box.bounding_box()["x"]
    assert abs(left - box_left) <= 1, (left, box_left)
    verdict = page.locator(f"{TABLE} tbody tr").first.locator("td").last.bounding_box()
    assert verdict["x"] + verdict["width"] <= 375 + 1, "scrolled to the end, the verdict is on screen"
