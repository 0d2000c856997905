"""One student's page for staff: what they see, plus every summary, their logs and their project."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import staff_required
from progress.selectors.logs import study_logs_for_enrollment
from progress.selectors.reflection import (
    accomplishments_for_enrollment,
    project_submission_for_enrollment,
    weekly_summaries_for_enrollment,
)
from progress.views.dashboard import DashboardPage

from ..columns import risk_words
from ..panels import STUDENT_PAGE
from ..selectors.cohorts import enrollment_for_staff
from ..services.rollups import rollup_for_enrollment


@staff_required
def cohort_student(request, enrollment_id: int):
    enrollment = enrollment_for_staff(enrollment_id=enrollment_id)
    rollup = rollup_for_enrollment(enrollment=enrollment)  # its risk reasons show here
    context = {
        "page": DashboardPage(enrollment=enrollment),
        "enrollment": enrollment,
        "staff_view": True,
        "student": enrollment.user,
        "logs": Paginator(study_logs_for_enrollment(enrollment=enrollment), 50).get_page(request.GET.get("page")),
        "summaries": weekly_summaries_for_enrollment(enrollment=enrollment),
        "accomplishments": accomplishments_for_enrollment(enrollment=enrollment),
        "project": project_submission_for_enrollment(enrollment=enrollment),
        "rollup": rollup,
        "risk_words": risk_words(rollup, enrollment.cohort),
        "panels": STUDENT_PAGE.render(request=request, enrollment=enrollment),
    }
    return render(request, "review/cohort_student.html", context)
