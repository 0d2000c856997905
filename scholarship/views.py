from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from . import health


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
    """The 400 page; a refused query (scholarship.forms.InvalidQuery) lists what to fix."""
    return render(request, "400.html", {"problems": getattr(exception, "problems", [])}, status=400)
