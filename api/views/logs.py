"""The student's study logs: the list, create (once per idempotency key), read, edit, delete, through the log
form's own services."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from progress.selectors.enrollments import enrollment_today
from progress.selectors.logs import study_log_get_for_user, study_logs_for_enrollment
from progress.services.study_logs import study_log_delete, study_log_save

from ..problems import PROBLEM_CONTENT_TYPE
from ..schema import PROBLEM_WORDS, ProblemSerializer
from ..models import IDEMPOTENCY_KEY_MAX_LENGTH
from ..serializers import (
    IDEMPOTENCY_KEY_PATTERN,
    IDEMPOTENCY_KEY_WORDS,
    StudyLogCreateSerializer,
    StudyLogFieldsSerializer,
    StudyLogSerializer,
)
from ..services.logs import IdempotencyKeyReused, request_digest, study_log_create_once
from .common import STUDENT, Pages, student_enrollment

KEY_HEADER = "Idempotency-Key"
REQUEST_FIELDS = ("day", "lesson", "minutes", "community_minutes", "notes", "add")


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was already used for another request."
    default_code = "idempotency_key_reused"


def _idempotency_key(request, data: dict) -> str:
    header = request.headers.get(KEY_HEADER)
    field = data.get("idempotency_key")
    if header is not None and not (len(header) <= IDEMPOTENCY_KEY_MAX_LENGTH and IDEMPOTENCY_KEY_PATTERN.fullmatch(header)):
        raise exceptions.ValidationError({"idempotency_key": [IDEMPOTENCY_KEY_WORDS]})
    if header is not None and field is not None and header != field:
        raise exceptions.ValidationError({"idempotency_key": ["The Idempotency-Key header and field differ: send one of them."]})
    key = header if header is not None else field
    if key is None:
        raise exceptions.ValidationError({"idempotency_key": [
            "Send an Idempotency-Key header (a UUID made for this entry), so that a retry never logs it twice."
        ]})
    return key


class LogList(GenericAPIView):
    permission_classes = STUDENT
    pagination_class = Pages
    serializer_class = StudyLogSerializer
    problem_statuses = {"GET": (404,)}  # a page past the last

    @extend_schema(summary="Your study logs, newest day first", responses=StudyLogSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(study_logs_for_enrollment(enrollment=student_enrollment(request)))
        return self.get_paginated_response(StudyLogSerializer(page, many=True).data)

    @extend_schema(
        summary="Log study time (once per Idempotency-Key)",
        description="As the log form: a second entry for the same day and lesson changes that day's log (201 when a log "
                    "was made, 200 when the day's log of that lesson was changed). The same Idempotency-Key again returns "
                    "the first answer (with `Idempotent-Replayed: true`) and changes nothing.",
        request=StudyLogCreateSerializer,
        parameters=[OpenApiParameter(KEY_HEADER, str, OpenApiParameter.HEADER, description="A key made for this entry (a UUID).")],
        responses={
            201: StudyLogSerializer, 200: StudyLogSerializer,
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=PROBLEM_WORDS[422]),
        },
    )
    def post(self, request):
        serializer = StudyLogCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = _idempotency_key(request, data)
        enrollment = student_enrollment(request)
        sent = serializer.initial_data
        try:
            stored, replayed = study_log_create_once(
                enrollment=enrollment, key=key, fingerprint=request_digest({name: sent.get(name) for name in REQUEST_FIELDS}),
                respond=lambda log, created: dict(StudyLogSerializer(log).data),
                day=data.get("day") or enrollment_today(enrollment=enrollment), lesson=data["lesson"], minutes=data["minutes"],
                community_minutes=data.get("community_minutes", 0), notes=data.get("notes", ""), add=data["add"],
            )
        except IdempotencyKeyReused as exc:
            raise KeyReused(detail=exc.message_dict) from exc
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        return Response(stored.response, status=stored.status_code, headers=headers)


class LogDetail(GenericAPIView):
    permission_classes = STUDENT
    serializer_class = StudyLogSerializer

    @extend_schema(summary="One of your study logs", responses=StudyLogSerializer)
    def get(self, request, pk: int):
        return Response(StudyLogSerializer(study_log_get_for_user(user=request.user, log_id=pk)).data)

    @extend_schema(summary="Change a study log (the fields sent)", request=StudyLogFieldsSerializer, responses=StudyLogSerializer)
    def patch(self, request, pk: int):
        log = study_log_get_for_user(user=request.user, log_id=pk)
        serializer = StudyLogFieldsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved, _ = study_log_save(
            enrollment=log.enrollment, log=log, day=data.get("day", log.day), lesson=data.get("lesson", log.lesson),
            minutes=data.get("minutes", log.minutes), community_minutes=data.get("community_minutes", log.community_minutes),
            notes=data.get("notes", log.notes),
        )
        return Response(StudyLogSerializer(saved).data)

    @extend_schema(summary="Delete a study log", responses={204: None})
    def delete(self, request, pk: int):
        study_log_delete(log=study_log_get_for_user(user=request.user, log_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
