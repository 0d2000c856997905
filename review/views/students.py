"""One student's page for staff: what they see, plus every summary, their logs and their project."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import staff_required
from progress.dashboard import dashboard_context
from progress.selectors.logs import study_logs_for_enrollment
from progress.selectors.reflection import (
    accomplishments_for_enrollment,
    project_submission_for_enrollment,
    weekly_summaries_for_enrollment,
)

from ..panels import STUDENT_PAGE
from ..selectors.cohorts import enrollment_for_staff


@staff_required
def cohort_student(request, enrollment_id: int):
    enrollment = enrollment_for_staff(enrollment_id=enrollment_id)
    context = {
        **dashboard_context(enrollment=enrollment),  # the student's own numbers and verdict, from their rows
        "enrollment": enrollment,
        "staff_view": True,
        "student": enrollment.user,
        "logs": Paginator(study_logs_for_enrollment(enrollment=enrollment), 50).get_page(request.GET.get("page")),
        "summaries": weekly_summaries_for_enrollment(enrollment=enrollment),
        "accomplishments": accomplishments_for_enrollment(enrollment=enrollment),
        "project": project_submission_for_enrollment(enrollment=enrollment),
        "panels": STUDENT_PAGE.render(request=request, enrollment=enrollment),
    }
    return render(request, "review/cohort_student.html", context)
