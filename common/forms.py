"""Glue between forms, requests and services shared by every app's views."""

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

from .timezones import canonical_time_zone, time_zone_choices, time_zone_renames


def form_submit(form: forms.Form, service: Callable[..., Any], **extra) -> tuple[bool, Any]:
    """Call `service` with a valid form's data plus `extra`; a ValidationError it raises lands on the form.

    Returns (True, the service's result) or (False, None) with the errors on the form,
    so a view re-renders what the person typed with the reason next to it.
    """
    try:
        return True, service(**extra, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False, None


def nul_characters_check(**texts: str | None) -> None:
    """PostgreSQL refuses NUL in text. A service refuses it first, naming the field, whoever calls it (a form
    already does, through Django's own validator; a command or a chat integration may not)."""
    refused = {name: "Remove the NUL character: it can not be stored." for name, text in texts.items() if text and "\x00" in text}
    if refused:
        raise ValidationError(refused)


def single_line(text: str | None) -> str:
    """One line with single spaces, for a field shown on one line (a title, a name): a line break typed or pasted
    into it would otherwise reach an email's subject, where the mail library refuses it (BadHeaderError)."""
    return " ".join((text or "").split())


class InvalidQuery(BadRequest):
    """A value in the address that the page's form refused: answered with a 400 page listing what to fix."""

    def __init__(self, form: forms.Form):
        self.problems = [
            f"{form.fields[name].label if name in form.fields else 'The address'}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        super().__init__("; ".join(self.problems))


def query_params(form_class: type[forms.Form], params, **kwargs) -> dict:
    """The cleaned values of the query parameters (or any request data) a page reads; InvalidQuery if refused."""
    form = form_class(params, **kwargs)
    if not form.is_valid():
        raise InvalidQuery(form)
    return form.cleaned_data


def safe_next(request, fallback: str) -> str:
    """Where a `next` parameter may send the person: a path on this site, or `fallback` (a URL, not a name).

    Answer with HttpResponseRedirect, not `redirect()`, which would try the text as a URL name.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and "\x00" not in target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class TimeZoneField(forms.ChoiceField):
    """A zone picked from the places we offer; an old spelling a browser reports (Asia/Calcutta) is taken as
    its current one (Asia/Kolkata), so one zone is never stored under two names."""

    def __init__(self, **kwargs):
        super().__init__(choices=time_zone_choices, **kwargs)

    def prefer_browser_zone(self) -> None:
        """Let static/js/time_zone.js preselect the browser's zone, through the same renames."""
        self.widget.attrs.update({"data-browser-time-zone": "1", "data-time-zone-renames": json.dumps(time_zone_renames())})

    def to_python(self, value):
        return canonical_time_zone(super().to_python(value))
