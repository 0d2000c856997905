"""The project's own middleware."""

from common.forms import InvalidQuery

from .views import bad_request


class RefusedQueryPageMiddleware:
    """A query parameter a page's form refused is answered with our 400 page in every profile, DEBUG included.

    Django answers a BadRequest under DEBUG with its technical page (a traceback and the settings), so `make run`
    showed a developer's page for a mistyped address where a student sees a page naming what to fix. A refused
    value is the visitor's mistake, not the code's: it gets the page people see. Real errors keep Django's debug
    page in development.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidQuery):
            return bad_request(request, exception)
        return None
