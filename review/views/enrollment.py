"""Bulk enrollment from a CSV file: the upload, checked whole, and the job's live progress."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import staff_required
from common import health
from common.forms import query_params
from progress.selectors.cohorts import cohort_for_staff

from .. import tasks
from ..forms import CohortForm, EnrollmentUploadForm
from ..models import EnrollmentImport
from ..services.enrollment_import import EnrollmentFileInvalid, enrollment_file_validate, enrollment_import_create

# A 5 MB file of bad lines would otherwise make a page of a hundred thousand list items.
LINE_ERRORS_SHOWN = 200


@staff_required
@require_http_methods(["GET", "POST"])
def cohort_enroll(request):
    cohort = cohort_for_staff(slug=query_params(CohortForm, request.GET)["cohort"] or None)
    form = EnrollmentUploadForm(request.POST or None, request.FILES or None)
    line_errors = []
    status = 200
    if request.method == "POST" and form.is_valid():
        file_name, text = form.cleaned_data["file"]
        try:
            rows = enrollment_file_validate(text=text)
        except EnrollmentFileInvalid as exc:
            line_errors = exc.errors
        else:
            if health.broker_ok(timeout=1.0):
                job = enrollment_import_create(
                    cohort=cohort, rows=rows, uploaded_by=request.user, file_name=file_name, enqueue=tasks.enrollment_import_apply.delay
                )
                return redirect("cohort:enroll_status", import_id=job.pk)
            form.add_error(None, health.JOBS_UNAVAILABLE)
            status = 503
    context = {
        "cohort": cohort, "form": form, "line_errors": line_errors[:LINE_ERRORS_SHOWN], "error_count": len(line_errors),
        "recent": cohort.imports.all()[:5],
    }
    return render(request, "review/cohort_enroll.html", context, status=status)


@staff_required
def cohort_enroll_status(request, import_id: int):
    job = get_object_or_404(EnrollmentImport.objects.select_related("cohort"), pk=import_id)
    if request.headers.get("Accept", "").startswith("application/json") or request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": job.state, "processed": job.processed_rows, "total": job.total_rows, "percent": job.percent,
                "created_accounts": job.created_accounts, "enrolled_existing_accounts": job.enrolled_existing_accounts,
                "already_enrolled": job.already_enrolled,
            }
        )
    return render(request, "review/cohort_enroll_status.html", {"job": job})
