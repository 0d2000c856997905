"""What every page must look like in a browser, as functions of a Playwright page: nothing wider than the screen,
no text spilling out of its box, no template source or Python's None among the words a person reads, and every
duration in the one format.

Shared by the every-page suite (test_every_page_fits.py) and anyone who wants to look at one page by hand.
"""

import re

# Scroll containers a page may have on purpose: a wide table scrolls sideways inside its own box (Bootstrap's
# .table-responsive), as a spreadsheet does. Charts are not among them: they scale to the screen.
DELIBERATE_SCROLLERS = ".table-responsive"

# Each box whose words (or image, or field) reach past its edge, unless something between clips them on purpose;
# a box that clips must say in a title what it cut; a box that scrolls sideways must be a deliberate scroller.
# A box's scrollWidth alone would also count Bootstrap's rows, whose negative margins reach past their parent by
# design while their columns' padding keeps every word inside; so a spill is measured on the words themselves.
_SPILLS = """(deliberate) => {
  const problems = [];
  const name = (el) => {
    const id = el.id ? '#' + el.id : '';
    const classes = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return `<${el.tagName.toLowerCase()}${id}${classes}> "${text}"`;
  };
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  const leaves = (box) => {  // rectangles of what a person reads or uses inside box, and the element each belongs to
    const found = [];
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
        const style = getComputedStyle(node);
        if (style.display === 'none' || style.visibility === 'hidden') return NodeFilter.FILTER_REJECT;
        if (node !== box && clips(node)) return NodeFilter.FILTER_REJECT;  // it answers for its own content
        if (node.matches('svg, img, input, select, textarea, button, video, iframe, canvas, progress')) return NodeFilter.FILTER_ACCEPT;
        return NodeFilter.FILTER_SKIP;
      },
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) found.push([rect, node.parentElement]);
      } else {
        found.push([node.getBoundingClientRect(), node]);
      }
    }
    return found;
  };
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth + 1) problems.push(`the page is ${width} px wide on a ${window.innerWidth} px screen`);
  const spilled = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.display === 'contents' || style.display === 'inline') continue;
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
      if (!el.matches(deliberate)) problems.push(`scrolls sideways inside the page (${el.scrollWidth} > ${el.clientWidth} px): ${name(el)}`);
      continue;
    }
    if (style.overflowX !== 'visible') {
      if (style.textOverflow === 'ellipsis' && !el.closest('[title]')) problems.push(`cut short with no title to read it all: ${name(el)}`);
      continue;
    }
    const box = el.getBoundingClientRect();
    const right = box.left + el.clientLeft + el.clientWidth + 1;
    const spill = leaves(el).find(([rect]) => rect.width > 0 && rect.right > right);
    if (spill) spilled.push([el, spill[1]]);
  }
  // Report the innermost box a spill leaves, not every box around it.
  for (const [el, what] of spilled) {
    if (!spilled.some(([other]) => other !== el && el.contains(other))) {
      problems.push(`text wider than its box (${el.scrollWidth} > ${el.clientWidth} px): ${name(what)} in ${name(el)}`);
    }
  }
  return problems;
}"""

# Our own sentences may start with the word: "None yet.", "None written.", "None yet: your groups' mentors...". A
# None that starts a paragraph or a cell and reads on in lower case, or ends the sentence, is English; one alone in
# a cell, inside a sentence or before a unit ("Last active: None", "None h") is Python's.
_ENGLISH_NONE = re.compile(r"(?:^|\t)\s*None(?= (?!(?:h|min|d|days?|hours?|minutes?)\b)[a-z]|[.:])")
# A template's source ({{ }}, {% %}), a variable path of a template's context ("page.pace"), Python's None.
_LEAKS = (
    ("template braces", re.compile(r"\{\{|\}\}|\{%|%\}")),
    ("a template variable", re.compile(r"\bpage\.[A-Za-z_]")),
    ("Python's None", re.compile(r"\bNone\b")),
    # One duration format on every page, hours and minutes ("3 h 30 min"): not "3.5 h", not "141 min".
    ("a duration in another format", re.compile(r"\b\d+\.\d+ ?h\b|\b(?:[6-9]\d|\d{3,}) min\b")),
)


def layout_problems(page) -> list[str]:
    """What spills out of its box on the page as it is now laid out."""
    return page.evaluate(_SPILLS, DELIBERATE_SCROLLERS)


def text_problems(page) -> list[str]:
    """Template source, None or a duration in another format among the words shown (innerText: what is rendered,
    not hidden markup)."""
    problems = []
    for line in page.evaluate("document.body.innerText").splitlines():
        shown = _ENGLISH_NONE.sub("", line)
        problems += [f"{what} in the text: {line.strip()[:120]!r}" for what, pattern in _LEAKS if pattern.search(shown)]
    return problems
