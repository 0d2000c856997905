"""The student's own: who they are, lessons, plan, summaries, the verdict, events (and RSVP), their group."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from events.selectors import event_for_student, events_for_student
from events.services.events import rsvp_set
from groups.selectors import group_people, group_table, membership_for_enrollment
from progress.selectors.enrollments import enrollment_today
from progress.selectors.logs import lessons_with_progress
from progress.selectors.numbers import status_for_enrollment
from progress.selectors.plans import plan_for_enrollment
from progress.selectors.reflection import weekly_summaries_for_enrollment
from progress.standing import Status

from ..models import AccessToken
from ..permissions import api_enrollment
from ..serializers import (
    EventsSerializer,
    GroupSerializer,
    LessonSerializer,
    MeSerializer,
    PlanSerializer,
    RsvpAnswerSerializer,
    RsvpSerializer,
    StatusSerializer,
    SummarySerializer,
)
from .common import STUDENT, student_enrollment


def status_data(status: Status) -> dict:
    """The verdict and its numbers, as the dashboard's card shows them."""
    return {
        "verdict": status.verdict.value, "label": status.verdict.label, "headline": status.headline,
        "reasons": [{"code": code.value, "words": words} for code, words in zip(status.reasons, status.reason_words)],
        "today": status.today, "forecast": status.forecast, "days_ahead": status.days_ahead,
        "minutes_last_7_days": status.minutes_last_7_days, "cutoff_day": status.rules.cutoff_day,
    }


class Me(APIView):
    @extend_schema(summary="Who you are: your account, your enrollment, the token you used", responses=MeSerializer)
    def get(self, request):
        user, enrollment = request.user, api_enrollment(request)
        token = request.auth if isinstance(request.auth, AccessToken) else None
        return Response(MeSerializer({
            "id": user.pk, "email": user.email, "full_name": user.full_name, "is_staff": user.is_staff,
            "enrollment": None if enrollment is None else {
                "id": enrollment.pk, "cohort": enrollment.cohort, "time_zone": enrollment.time_zone,
                "today": enrollment_today(enrollment=enrollment),
                "weekday_goal_hours": enrollment.weekday_goal_hours, "weekend_goal_hours": enrollment.weekend_goal_hours,
            },
            "token": None if token is None else {"id": token.pk, "name": token.name, "scope": token.scope},
        }).data)


class Lessons(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="The lessons, with your minutes on each and whether you marked it done",
                   responses=LessonSerializer(many=True))
    def get(self, request):
        lessons = lessons_with_progress(enrollment=student_enrollment(request))
        return Response(LessonSerializer([
            {"number": lesson.number, "slug": lesson.slug, "title": lesson.title, "estimated_minutes": lesson.estimated_minutes,
             "is_final_project": lesson.is_final_project, "logged_minutes": lesson.logged_minutes,
             "done": lesson.completed_on is not None, "completed_on": lesson.completed_on}
            for lesson in lessons
        ], many=True).data)


class Plan(APIView):
    permission_classes = STUDENT
    problem_statuses = {"GET": (404,)}  # no plan yet

    @extend_schema(summary="Your study plan", responses=PlanSerializer)
    def get(self, request):
        plan = plan_for_enrollment(enrollment=student_enrollment(request))
        if plan is None:
            raise exceptions.NotFound("You have no plan yet: make one on your schedule page.")
        return Response(PlanSerializer({
            "starts_on": plan.starts_on, "target_on": plan.target_on, "weekday_hours": plan.weekday_hours,
            "weekend_hours": plan.weekend_hours, "days_off": sorted(plan.days_off_dates), "items": list(plan.items.all()),
        }).data)


class Summaries(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="Your weekly summaries, by week", responses=SummarySerializer(many=True))
    def get(self, request):
        return Response(SummarySerializer(weekly_summaries_for_enrollment(enrollment=student_enrollment(request)), many=True).data)


class StatusView(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="Your verdict: finished, on track, behind plan or at risk, and why", responses=StatusSerializer)
    def get(self, request):
        status = status_for_enrollment(enrollment=student_enrollment(request))
        return Response(StatusSerializer(status_data(status)).data)


class Events(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="Your cohort's events, with your RSVP", responses=EventsSerializer)
    def get(self, request):
        events = events_for_student(enrollment=student_enrollment(request))
        return Response(EventsSerializer({"upcoming": events.upcoming, "past": events.past}).data)


class Rsvp(APIView):
    permission_classes = STUDENT

    @extend_schema(summary="Say you will come to an event, or that you will not after all", request=RsvpSerializer,
                   responses=RsvpAnswerSerializer)
    def post(self, request, pk: int):
        enrollment = student_enrollment(request)
        event = event_for_student(enrollment=enrollment, event_id=pk)
        serializer = RsvpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        going = serializer.validated_data["going"]
        rsvp_set(event=event, enrollment=enrollment, going=going)
        return Response(RsvpAnswerSerializer({"event": event.pk, "going": going}).data)


class Group(APIView):
    permission_classes = STUDENT
    problem_statuses = {"GET": (404,)}  # in no group

    @extend_schema(summary="Your study group: its members (as the group page shows them) and its week", responses=GroupSerializer)
    def get(self, request):
        membership = membership_for_enrollment(enrollment=student_enrollment(request))
        if membership is None:
            raise exceptions.NotFound("You are in no study group.")
        group = membership.group
        people = group_people(group=group, user=request.user)
        table = group_table(group=group, memberships=people.memberships, user=request.user)
        return Response(GroupSerializer({
            "id": group.pk, "name": group.name, "utc_offset": group.utc_offset, "weekly_goal_hours": group.weekly_goal_hours,
            "is_open": group.is_open, "note": group.note, "mentors": [mentor.full_name or "(no name)" for mentor in people.mentors],
            "week_minutes": table.week_minutes, "goal_minutes": table.goal_minutes, "not_counted": table.not_counted,
            "members": [
                {"name": row.name, "is_you": row.is_you, "hidden": row.hidden, "week_minutes": row.week_minutes,
                 "lessons_done": row.lessons_done, "streak_days": row.streak_days, "plan_status": row.plan_status,
                 "last_active": row.last_active}
                for row in table.members
            ],
        }).data)
