"""Glue between forms and services shared by every app's views."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


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
