import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

SAFE_SCHEMES = {"", "http", "https", "mailto"}


def form_errors(response) -> list[str]:
    """The error messages a student sees on a re-shown form (field and form-wide)."""
    html = response.content.decode()
    field = re.findall(r'<p id="error_\d+_id_\w+"><strong>(.*?)</strong></p>', html, flags=re.S)
    general = re.findall(r'<div class="alert alert-danger">(.*?)</div>\s*(?:<div|\{|<input|$)', html, flags=re.S)
    general = [re.sub(r"<[^>]+>", " ", block).strip() for block in general]
    return field + general


def text_of(response, name: str) -> str:
    """The text of the element marked data-testid=name."""
    match = re.search(rf'data-testid="{name}">([^<]*)<', response.content.decode())
    assert match, f"no element with data-testid={name!r} on the page"
    return match.group(1).strip()


class Audit(HTMLParser):
    """Collects what a browser would run: script tags, on* handlers, unsafe URL schemes (also inside srcdoc)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> {attributes}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"} and value:
                scheme = urlsplit(value.strip().replace("\t", "").replace("\n", "")).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc" and value:
                inner = Audit()
                inner.feed(value)
                self.problems += [f"inside srcdoc: {problem}" for problem in inner.problems]


def audit(html: str) -> list[str]:
    parser = Audit()
    parser.feed(html)
    return parser.problems


def admin_save(model, obj, changes: dict, *, user) -> None:
    """What the admin's change form does when staff save it: the ModelAdmin's form with `changes` over the row's
    current values, then its save_model, with the on-commit callbacks run as after the request's transaction."""
    from django.contrib import admin
    from django.test import RequestFactory, TestCase

    model_admin = admin.site._registry[model]
    request = RequestFactory().post("/admin/")
    request.user = user
    form_class = model_admin.get_form(request, obj, change=True)
    data = {name: value for name, value in form_class(instance=obj).initial.items() if value is not None}
    data.update(changes)
    form = form_class(data=data, instance=model.objects.get(pk=obj.pk))
    assert form.is_valid(), form.errors
    with TestCase.captureOnCommitCallbacks(execute=True):
        model_admin.save_model(request, form.save(commit=False), form, change=True)


def held_until_both_read(monkeypatch, module, name: str) -> None:
    """Make `module.name` (a read inside a write) wait, once it has read, until a second caller has read too (or a
    second and a half has passed): without the write's lock both read the same state; with it the second read
    waits for the first write's commit, and the barrier times out."""
    import threading

    barrier = threading.Barrier(2, timeout=1.5)
    read = getattr(module, name)

    def read_then_wait(**kwargs):
        found = read(**kwargs)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(module, name, read_then_wait)


def at_once(*calls) -> None:
    """Run each call in a thread of its own, with its own database connection, and wait for all of them."""
    import threading

    from django.db import connection

    def run(call):
        try:
            call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
