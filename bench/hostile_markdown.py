"""Hostile markdown: runs of every opener, nested and unclosed, and the cases of the CommonMark reference
implementation's pathological test suite (cmark and cmark-gfm `test/pathological_tests.py`), cut to the
longest length a student's markdown field takes. Shared by the bounded-time test and `make bench`."""

from progress.models import NOTES_MAX_LENGTH, PROJECT_DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH

LONGEST = max(NOTES_MAX_LENGTH, SUMMARY_MAX_LENGTH, PROJECT_DESCRIPTION_MAX_LENGTH)


def fill(pattern: str, length: int = LONGEST) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


def half(pattern: str) -> str:
    return fill(pattern, LONGEST // 2)


OPENERS = {
    "link openers [": "[",
    "image openers ![": "![",
    "link text and openers [a": "[a",
    "link destinations ](": "](",
    "emphasis *": "*",
    "emphasis _": "_",
    "strong **": "**a ",
    "mixed *_": "*_",
    "backticks `": "`",
    "angle brackets <": "<",
    "tag-like <a ": "<a ",
    "tag-like <b>": "<b>",
    "raw lists <li><ul>": "<li><ul>",
    "raw quotes <blockquote>": "<blockquote>",
    "comment openers <!--": "<!--",
    "blockquote markers > ": "> ",
    "list markers - ": "- ",
    "mixed list markers * - + ": "* - + ",
    "ordered list markers 1. ": "1. ",
    "list in quote > - ": "> - ",
    "tab list *\\t- ": "*\t- ",
    "table pipes |": "|",
    "table rows": "|a|b|\n|-|-|\n",
    "entities &": "&",
    "numeric entities &#": "&#",
    "headings # ": "# ",
    "fences ```": "```\n",
    "link titles [a](b \"": '[a](b "',
    "autolinks <http://": "<http://a",
    "reference definitions [a]: ": "[a]: ",
    "strikethrough ~": "~",
    "NUL": "a\x00",
}

# cmark's and cmark-gfm's pathological cases, cut to the longest field.
CMARK_SUITE = {
    "nested strong emph": half("*a **a ") + "b" + fill(" a** a*", LONGEST - LONGEST // 2 - 1),
    "many emph closers with no openers": fill("a_ "),
    "many emph openers with no closers": fill("_a "),
    "many link closers with no openers": fill("a]"),
    "many link openers with no closers": fill("[a"),
    "mismatched openers and closers": fill("*a_ "),
    "openers and closers multiple of 3": "a**b" + fill("c* ", LONGEST - 4),
    "link openers and emph closers": fill("[ a_"),
    "pattern [ (]( repeated": fill("[ (]("),
    "pattern ![[]() repeated": fill("![[]()"),
    "hard link/emph case": "**x [a*b**c*](d)",
    "nested brackets": half("[") + "a" + fill("]", LONGEST - LONGEST // 2 - 1),
    "nested block quotes": fill("> ", LONGEST - 1) + "a",
    "deeply nested lists": "".join("  " * depth + "* a\n" for depth in range(1000))[:LONGEST],
    "U+0000 in input": "abc\u0000de\u0000",
    "backticks": "".join("e" + "`" * count for count in range(1, 1000))[:LONGEST],
    "unclosed links A": fill("[a](<b"),
    "unclosed links B": fill("[a](b"),
    "unclosed <!--": "</" + fill("<!--", LONGEST - 2),
    "tables": fill("aaa\rbbb\n-\v\n"),
    "many references": "".join(f"[{n}]: u\n" for n in range(1, 2000))[: LONGEST // 2] + half("[0] "),
}


def every_case() -> dict[str, str]:
    return {**{f"run of {name}": fill(pattern) for name, pattern in OPENERS.items()}, **CMARK_SUITE}
