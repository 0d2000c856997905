"""What the API's views share: the student a request is about, the pages of a list, and the answer for a path
the API does not have."""

from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from progress.models import Enrollment

from ..permissions import IsStudent, TokenScopeAllows, api_enrollment
from ..problems import problem

STUDENT = [*APIView.permission_classes, IsStudent]


def student_enrollment(request) -> Enrollment:
    """The student's current enrollment (IsStudent has checked there is one; read once per request)."""
    return api_enrollment(request)


class Pages(PageNumberPagination):
    """`?page=2`; 50 to a page. A page that is not one (past the last, not a number, empty) is a 404, as DRF has it."""

    page_size = 50

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound("Invalid page: leave `page` out for the first.")
        return super().get_page_number(request, paginator)


def _is_endpoint(path: str) -> bool:
    try:
        return resolve(path).url_name != "not_found"
    except Resolver404:
        return False


class NotFound(APIView):
    """Any path under the API that is none of its endpoints: a problem, not the site's HTML page."""

    permission_classes = [AllowAny, TokenScopeAllows]
    authentication_classes = []

    @extend_schema(exclude=True)
    def dispatch_problem(self, request, *args, **kwargs):
        path = request.path
        hint = f" Did you mean {path}/?" if not path.endswith("/") and _is_endpoint(f"{path}/") else ""
        return problem(status=404, detail=f"The API has no {path}.{hint}", code="not_found", instance=path)

    get = post = put = patch = delete = head = options = dispatch_problem
