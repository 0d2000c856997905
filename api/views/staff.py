"""Staff: the cohort's students, filtered, searched, sorted and paginated as the /cohort/ table is."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView

from progress.selectors.cohorts import cohort_for_staff
from review.columns import with_status
from review.forms import CohortTableForm
from review.selectors.cohorts import FILTERS, PAGE_SIZE, cohort_students, rollups_with_people

from ..permissions import IsStaff
from ..serializers import CohortStudentSerializer
from .common import Pages
from .student import status_data

TABLE_PARAMETERS = [
    OpenApiParameter("cohort", str, description="The cohort's slug; the running one if left out."),
    OpenApiParameter("show", str, enum=list(FILTERS), description="Only these students (as the cohort page's filters)."),
    OpenApiParameter("q", str, description="Name or email contains this."),
    OpenApiParameter("tz", str, description="Students in this time zone (IANA name)."),
    OpenApiParameter("lesson", int, description="Students who marked this lesson done, or a later one."),
    OpenApiParameter("group", int, description="A study group's id, or -1 for students in none."),
    OpenApiParameter("sort", str, enum=list(dict(CohortTableForm.base_fields["sort"].choices)),
                     description="A column; a leading minus sorts down."),
]


STRICT = ("show", "lesson", "group", "sort")  # parameters whose schema has no empty value


class StudentPages(Pages):
    page_size = PAGE_SIZE


class CohortStudents(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, IsStaff]
    pagination_class = StudentPages
    serializer_class = CohortStudentSerializer
    problem_statuses = {"GET": (400, 404)}  # a refused parameter; no such cohort, or a page past the last

    @extend_schema(summary="The cohort's students, as on the cohort page", parameters=TABLE_PARAMETERS,
                   responses=CohortStudentSerializer(many=True))
    def get(self, request):
        # The page's form takes an empty choice as "any" (its selects send one); the API's schema has none.
        empty = {name: ["Leave the parameter out rather than send it empty."] for name in STRICT if request.query_params.get(name) == ""}
        if empty:
            raise exceptions.ValidationError(empty)
        form = CohortTableForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({
                field: [error["message"] for error in errors] for field, errors in form.errors.get_json_data().items()
            })
        query = form.table_query()
        cohort = cohort_for_staff(slug=query.cohort or None)
        ids = self.paginate_queryset(cohort_students(cohort=cohort, query=query).values_list("pk", flat=True))
        verdict_fields = ("verdict", "label", "reasons", "minutes_last_7_days", "forecast")
        rows = []
        for rollup in with_status(rollups_with_people(ids=list(ids)), cohort):
            membership = getattr(rollup.enrollment, "group_membership", None)
            status = rollup.status
            rows.append({
                "enrollment_id": rollup.enrollment_id, "name": rollup.enrollment.user.full_name,
                "email": rollup.enrollment.user.email, "time_zone": rollup.enrollment.time_zone,
                "group": membership.group.name if membership is not None else None, "total_minutes": rollup.total_minutes,
                "last_study_day": rollup.last_study_day, "lessons_done": rollup.lessons_done, "plan": status.plan_words_short,
                "project_submitted": rollup.project_submitted,
                **{key: value for key, value in status_data(status).items() if key in verdict_fields},
            })
        return self.get_paginated_response(CohortStudentSerializer(rows, many=True).data)
