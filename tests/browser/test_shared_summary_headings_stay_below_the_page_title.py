"""A shared summary's own headings ("## Week 4", "# What went well") read as part of the card, never larger than the
line naming its author and well below the page's title, on the community page and on the group's page."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sizes(page, card_selector: str) -> dict:
    return page.evaluate(
        """(selector) => {
          const card = [...document.querySelectorAll(selector)].find(card => card.innerText.includes('What went well'));
          const px = (el) => parseFloat(getComputedStyle(el).fontSize);
          const author = card.querySelector('h2, h3');
          return {
            title: px(document.querySelector('h1')),
            author: px(author),
            authorText: author.innerText,
            own: [...card.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(h => h !== author).map(px),
          };
        }""",
        card_selector,
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_on_the_community_page(signed_in, world, width):
    page = signed_in("student", width)
    page.goto(page.base + "/community/summaries/")
    found = sizes(page, "article.card")
    assert found["authorText"].startswith("Maria Guadalupe")
    assert len(found["own"]) == 3, found  # ## Week 4, # What went well, ### Next week
    assert max(found["own"]) <= found["author"] < found["title"], found


@pytest.mark.parametrize("width", [1280, 375])
def test_on_the_group_page(signed_in, world, width):
    page = signed_in("student", width)
    page.goto(page.base + f"/groups/{world.group.pk}/")
    found = sizes(page, "article.card")
    assert len(found["own"]) == 3, found
    assert max(found["own"]) <= found["author"] < found["title"], found
