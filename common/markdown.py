"""The one way user-written markdown becomes HTML anywhere on the site, and the column that stores it.

Rendering: pulldown-cmark (through pyromark) parses CommonMark with tables and strikethrough in time
linear in its input, whatever the input holds; nh3 then keeps only the allow-listed tags, attributes
and URL schemes, so neither markdown links nor raw HTML can carry script. html5ever, under nh3, takes
time quadratic in how deeply elements nest, and twenty thousand characters of `> ` or `- * ` nest ten
thousand deep, so nesting past MAX_DEPTH is flattened first: every word stays, only the indentation
beyond that depth goes. Timings on hostile input are in bench/results.md.

Storing: a page never renders markdown on read. `RenderedMarkdownField` holds the sanitised HTML
beside its source and renders it whenever the row is saved; `manage.py markdown_rerender` renders
every stored row again after the renderer changes.
"""

import re
from collections.abc import Iterable

import nh3
import pyromark
from django.db import models
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

# Deeper than any real note nests; shallow enough that nh3's cost stays a few milliseconds.
MAX_DEPTH = 32
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def _flatten_deep_nesting(html: str) -> str:
    """Drop start and end tags nested deeper than MAX_DEPTH, keeping the text between them (one linear pass).

    The count is approximate for raw HTML (an `<li>` closed implicitly still counts), which only
    matters past MAX_DEPTH. Whatever this leaves, nh3 sanitises next.
    """
    if html.count("<") <= MAX_DEPTH:
        return html
    depth = 0

    def visit(match: re.Match) -> str:
        nonlocal depth
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _VOID:
            return match.group(0)
        if closing:
            kept = depth <= MAX_DEPTH
            depth = max(depth - 1, 0)
        else:
            depth += 1
            kept = depth <= MAX_DEPTH
        return match.group(0) if kept else ""

    return _TAG.sub(visit, html)


def markdown_render(text: str) -> SafeString:
    """Render markdown to sanitised HTML that is safe to put in any page."""
    # pulldown-cmark takes UTF-8: a lone surrogate (never from a form, possible from code) becomes "?".
    source = (text or "").encode("utf-8", "replace").decode("utf-8")
    html = _flatten_deep_nesting(pyromark.html(source, options=OPTIONS))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


class RenderedMarkdownField(models.TextField):
    """The sanitised HTML of the markdown in field `source`, rendered whenever the row is saved.

    The column only ever holds `markdown_render`'s output (it is not editable in forms), so it reads
    back as safe HTML and a page shows it without rendering anything. A save with `update_fields`
    that names the source must name this field too; rows written around `save()` (`update()`,
    `bulk_update`) are brought in step by `manage.py markdown_rerender`.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "source": self.source}

    def pre_save(self, model_instance, add):
        html = markdown_render(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, html)
        return html

    def from_db_value(self, value, expression, connection):
        return value if value is None else mark_safe(value)  # noqa: S308 - only markdown_render's output is stored


def rendered_markdown_fields(model) -> list[RenderedMarkdownField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, RenderedMarkdownField)]


def markdown_rerender(*, model, batch_size: int = 1000) -> int:
    """Render every row's markdown fields of `model` again (after the renderer changed); returns the rows.

    Works on a migration's historical models too: the fields keep their class there.
    """
    fields = rendered_markdown_fields(model)
    if not fields:
        return 0
    sources = [field.source for field in fields]
    done, last_pk = 0, None
    while True:
        rows = model._default_manager.order_by("pk").only("pk", *sources)
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows[:batch_size])
        if not batch:
            return done
        for row in batch:
            for field in fields:
                setattr(row, field.attname, markdown_render(getattr(row, field.source)))
        model._default_manager.bulk_update(batch, [field.attname for field in fields])
        done += len(batch)
        last_pk = batch[-1].pk


def models_with_rendered_markdown(candidates: Iterable) -> list:
    return [model for model in candidates if rendered_markdown_fields(model)]
