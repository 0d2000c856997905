from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from common.markdown import markdown_render
from tests.factories import StudyLogFactory


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag the browser would build, with its real (unescaped) attributes."""
    tags = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Collector().feed(html)
    return tags


def test_markdown_renders_emphasis_lists_and_code():
    html = markdown_render("**bold** and `code`\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<img src=x onerror="alert(1)">',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example"></iframe>',
        '[x](https://example.com "title\\" onmouseover=\\"alert(1))',
        '![alt" onerror="alert(1)](https://example.com/a.png)',
        "<a href='javascript:alert(1)'>raw</a>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_markdown_drops_script_handlers_and_unsafe_schemes(payload):
    tags = parsed_tags(markdown_render(payload))
    assert not {name for name, _ in tags} & {"script", "iframe", "svg", "object", "embed", "style"}
    for name, attrs in tags:
        for attr, value in attrs:
            assert not attr.startswith("on"), (name, attr, value)
            assert attr != "style", (name, attr, value)
            if attr in {"href", "src"}:
                assert urlsplit(value or "").scheme.lower() in {"", "http", "https", "mailto"}, (name, attr, value)


def test_safe_links_keep_their_address_and_get_nofollow_noopener():
    html = markdown_render("[docs](https://pytorch.org/docs) and <mailto:help@example.com>")
    assert 'href="https://pytorch.org/docs"' in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.django_db
def test_log_notes_are_rendered_through_the_sanitiser_on_the_log_list(student_client, enrollment):
    StudyLogFactory(enrollment=enrollment, notes="**Learnt** a lot <script>alert('x')</script> [bad](javascript:alert(1))")
    html = student_client.get(reverse("progress:log_list")).content.decode()
    notes = html.split('class="log-notes user-content mt-2">')[1].split("</div>")[0]
    assert "<strong>Learnt</strong>" in notes
    assert [name for name, _ in parsed_tags(notes) if name == "script"] == []
    assert "javascript:" not in notes
