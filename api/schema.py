"""The OpenAPI schema's error answers: every operation lists the problems (RFC 9457) it can answer with, so a
client (and schemathesis) knows each status and its `application/problem+json` body."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from .problems import PROBLEM_CONTENT_TYPE

PROBLEM_WORDS = {
    400: "The request has invalid fields or parameters: `errors` gives each one's messages.",
    401: "No token (or session), or the token is unknown or revoked.",
    403: "Not allowed: a read token writing, a student on a staff endpoint, staff without an enrollment on a "
         "student's endpoint, or a session request without its CSRF token.",
    404: "No such object among yours (another student's is not yours either), or no such page.",
    415: "The body is not JSON (`Content-Type: application/json`).",
    422: "The Idempotency-Key was used before for a request with other fields.",
    429: "Too many requests for this token: `Retry-After` says how many seconds to wait.",
}


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always about:blank: `status` and `code` say what went wrong.")
    title = serializers.CharField(help_text="The HTTP status's phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, in words to show a person.")
    code = serializers.CharField(help_text="A stable code: invalid, not_authenticated, authentication_failed, "
                                           "read_only_token, not_enrolled, staff_only, not_found, throttled, ...")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Each invalid field's messages (`non_field_errors` for the request as a whole).")
    instance = serializers.CharField(required=False, help_text="The path asked for.")


class ProblemAutoSchema(AutoSchema):
    def _problem_statuses(self) -> set[int]:
        # A view's own: {method: statuses}, such as a GET's 404 for a page past the last.
        statuses = {429} | set(getattr(self.view, "problem_statuses", {}).get(self.method, ()))
        if any(isinstance(permission, IsAuthenticated) for permission in self.view.get_permissions()):
            statuses |= {401, 403}
        if self.method in ("POST", "PUT", "PATCH"):
            statuses |= {400, 415}
        if "{" in self.path:
            statuses.add(404)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self._problem_statuses()):
            responses.setdefault(str(status), self._get_response_for_code(
                OpenApiResponse(ProblemSerializer, description=PROBLEM_WORDS[status]), str(status),
                media_types=[PROBLEM_CONTENT_TYPE], direction=direction,
            ))
        return responses
