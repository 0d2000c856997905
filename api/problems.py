"""Every error of the API as `application/problem+json` (RFC 9457): type, title, status, detail, and `errors`,
each field's messages (empty unless the request had invalid fields).

A service's Django ValidationError is the same 400 as a serializer's: the API calls the pages' services, which
name the field they refuse (`{"minutes": "A day has 24 hours: ..."}`).
"""

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's error detail (dicts and lists, nested for nested fields) as {"field" or "field.0.sub": [messages]}."""
    if isinstance(detail, dict):
        errors: dict[str, list[str]] = {}
        for key, value in detail.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else str(key)
            errors.update(_field_errors(value, f"{prefix}.{key}" if prefix else key))
        return errors
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        errors = {}
        for index, item in enumerate(detail):
            errors.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return errors
    messages = [str(item) for item in detail] if isinstance(detail, list) else [str(detail)]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: messages}


def problem(*, status: int, detail: str, code: str, errors: dict[str, list[str]] | None = None, headers=None, instance: str = "") -> Response:
    body = {
        "type": "about:blank",  # the status says it all; `code` tells the cases of one status apart
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or {},
    }
    if instance:
        body["instance"] = instance
    return Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _words(errors: dict[str, list[str]]) -> str:
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    return " ".join(
        " ".join(messages) if field == non_field else f"{field}: {' '.join(messages)}" for field, messages in errors.items()
    )


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own handling (status, WWW-Authenticate, Retry-After), answered as a problem."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None  # not a client's error: Django's 500 handling (and its logging) takes it
    request = context.get("request")
    instance = request.path if request is not None else ""
    if request is not None:  # as JSON whatever the view renders otherwise (the schema's YAML, the docs' HTML)
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), PROBLEM_CONTENT_TYPE
    headers = {name: response[name] for name in ("WWW-Authenticate", "Retry-After") if response.has_header(name)}
    if isinstance(exc.detail, (dict, list)):  # invalid fields: a serializer's, a service's, or a view's own
        errors = _field_errors(exc.detail)
        code = "invalid" if isinstance(exc, exceptions.ValidationError) else exc.default_code
        return problem(status=response.status_code, detail=_words(errors), code=code, errors=errors, headers=headers, instance=instance)
    return problem(status=response.status_code, detail=str(exc.detail), code=str(exc.detail.code or exc.default_code),
                   headers=headers, instance=instance)
