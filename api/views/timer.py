"""The study timer: the one running (if any), start and stop, through the timer app's services (stopping adds the
minutes to the study log, split at the student's local midnight)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from timers.selectors import timer_for_enrollment, timer_shown
from timers.services import TimerLogged, TimerNeedsConfirmation, timer_logged_words, timer_start, timer_stop

from ..problems import PROBLEM_CONTENT_TYPE
from ..schema import ProblemSerializer
from ..serializers import (
    TimerCurrentSerializer,
    TimerLoggedSerializer,
    TimerStartedSerializer,
    TimerStartSerializer,
    TimerStopSerializer,
)
from .common import STUDENT, student_enrollment

NEEDS_CONFIRMATION = {
    (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ProblemSerializer, description="The running timer ran over 4 hours or stopped itself: confirm or trim it on the timer page."
    ),
}


class TimerNeedsConfirming(exceptions.APIException):
    status_code = 409
    default_code = "timer_needs_confirmation"


def timer_data(timer, enrollment) -> dict:
    reading = timer_shown(timer=timer, time_zone=enrollment.time_zone).reading
    return {
        "id": timer.pk, "lesson": timer.lesson.number, "lesson_title": timer.lesson.title, "started_at": timer.started_at,
        "stops_at": timer.stops_at, "elapsed_minutes": reading.elapsed_minutes, "needs_confirmation": reading.needs_confirmation,
    }


def logged_data(logged: TimerLogged) -> dict:
    return {
        "lesson": logged.lesson.number, "lesson_title": logged.lesson.title, "minutes": logged.minutes,
        "days": [{"day": added.day, "minutes": added.minutes, "log_minutes": added.log_minutes} for added in logged.days],
        "words": timer_logged_words(logged=logged),
    }


class TimerCurrent(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="Your running timer, if any", responses=TimerCurrentSerializer)
    def get(self, request):
        enrollment = student_enrollment(request)
        timer = timer_for_enrollment(enrollment=enrollment)
        return Response(TimerCurrentSerializer({"timer": timer_data(timer, enrollment) if timer else None}).data)


class TimerStart(APIView):
    permission_classes = STUDENT

    @extend_schema(
        summary="Start timing a lesson",
        description="Started again on the lesson already timed, nothing changes (200). Started on another lesson, the running "
                    "timer is stopped and its minutes logged first (`stopped`).",
        request=TimerStartSerializer, responses={201: TimerStartedSerializer, 200: TimerStartedSerializer, **NEEDS_CONFIRMATION},
    )
    def post(self, request):
        serializer = TimerStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = student_enrollment(request)
        try:
            started = timer_start(enrollment=enrollment, lesson=serializer.validated_data["lesson"])
        except TimerNeedsConfirmation as exc:
            raise TimerNeedsConfirming(" ".join(exc.messages)) from exc
        return Response(TimerStartedSerializer({
            "timer": timer_data(started.timer, enrollment), "created": started.created,
            "stopped": logged_data(started.stopped) if started.stopped else None,
        }).data, status=201 if started.created else 200)


class TimerStop(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="Stop your timer: its minutes are added to the day's log of its lesson",
                   request=TimerStopSerializer, responses={200: TimerLoggedSerializer, **NEEDS_CONFIRMATION})
    def post(self, request):
        serializer = TimerStopSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            logged = timer_stop(enrollment=student_enrollment(request), note=data.get("note", ""), timer_id=data.get("timer"))
        except TimerNeedsConfirmation as exc:
            raise TimerNeedsConfirming(" ".join(exc.messages)) from exc
        return Response(TimerLoggedSerializer(logged_data(logged)).data)
