import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from common import health


@never_cache
def healthz(request):
    state = {
        "database": "ok" if health.database_ok() else "unavailable",
        "broker": "ok" if health.broker_ok() else "unavailable",
    }
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **state}, status=200 if healthy else 503)


def favicon(request):
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def bad_request(request, exception=None):
    """The 400 page; a refused query (common.forms.InvalidQuery) lists what to fix."""
    return render(request, "400.html", {"problems": getattr(exception, "problems", [])}, status=400)


DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The 500 page; the database not answering is a 503 "back in a minute" with Retry-After instead.

    Rendered without the request's context: the menu, the user and the messages all need the database.
    common.logs writes the one log line.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
