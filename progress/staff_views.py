"""Staff pages for reviewing a cohort. Every view here needs a staff account."""

from functools import wraps

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST


from . import charts, selectors, services, tables, tasks
from .exports import export_csv_response, export_shortlist_csv
from .planning import plan_status_words
from .models import EnrolmentImport, Enrollment, Notification
from .staff_forms import CohortForm, CohortTableForm, EmailPreviewForm, EnrolmentUploadForm, ShortlistQueryForm
from .views import dashboard_context
from scholarship import health
from scholarship.forms import InvalidQuery, query_params, safe_next


def staff_required(view):
    """Anonymous visitors go to log in; signed-in students get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Staff only.")
        return view(request, *args, **kwargs)

    return wrapper


SORT_COLUMNS = [
    ("name", "Name"), ("email", "Email"), ("total", "Total"), ("last7", "Last 7 days"), ("last_active", "Last active"),
    ("lessons", "Lessons"), ("status", "Plan status"), ("forecast", "Forecast finish"), ("risk", "At risk"),
]


def _cohort_with_fresh_rollups(*, slug: str | None):
    """The cohort asked for, its rollups first brought up to every committed write (see services.rollups)."""
    cohort = selectors.cohort_for_staff(slug=slug)
    services.rollups_refresh_stale(cohort_id=cohort.pk)
    return cohort


def _table_query(request) -> selectors.TableQuery:
    form = CohortTableForm(request.GET)
    if not form.is_valid():
        raise InvalidQuery(form)
    return form.table_query()


@staff_required
def cohort_dashboard(request):
    query = _table_query(request)
    cohort = _cohort_with_fresh_rollups(slug=query.cohort or None)
    page = Paginator(selectors.cohort_students(cohort=cohort, query=query), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    cohort_charts = selectors.cohort_charts(cohort=cohort)
    funnel, hours_per_day, histogram = cohort_charts.funnel, cohort_charts.hours_per_day, cohort_charts.histogram
    today = selectors.cohort_today(cohort=cohort)
    context = {
        "cohort": cohort,
        "query": query,
        "page": page,
        "student_rows": tables.cohort_student_rows_html(rows=[(rollup, plan_status_words(rollup.days_ahead, short=True)) for rollup in page]),
        "headline_cards": [
            {"key": key, "label": selectors.HEADLINE_LABELS[key], "value": value, "change": change}
            for key, value, change in selectors.cohort_headline_with_change(cohort=cohort).items()
        ],
        "funnel": funnel,
        "charts_computed_at": cohort_charts.computed_at,
        "funnel_top": max([step.completed for step in funnel] + [1]),
        "filters": selectors.FILTERS,
        "time_zones": selectors.cohort_time_zones(cohort=cohort),
        "hours_chart": charts.bars_svg(
            bars=[(f"{day:%-d %b}", minutes // 60) for day, minutes in hours_per_day.items()],
            title="Cohort hours studied per day", value_label=lambda v: f"{v} h", chart_id="cohort-hours",
            highlight=f"{today:%-d %b}",
        ),
        "hours_per_day_list": charts.calendar_list_html(minutes_by_day=hours_per_day),
        "histogram_chart": charts.bars_svg(
            bars=[(f"{low} h", count) for low, count in histogram],
            title="Students by total hours studied", value_label=lambda v: f"{v} students", chart_id="histogram",
        ),
        "histogram": histogram,
        "at_risk_params": query.url_params(show="at_risk"),
        "emails_given_up": selectors.notifications_expired_count(cohort=cohort),
        "sort_columns": [
            {
                "key": key,
                "label": label,
                "params": query.sort_link(key),
                "direction": "ascending" if query.sort == key else "descending" if query.sort == f"-{key}" else "",
            }
            for key, label in SORT_COLUMNS
        ],
    }
    return render(request, "progress/cohort_dashboard.html", context)


@staff_required
def cohort_student(request, enrollment_id: int):
    enrollment = selectors.enrollment_for_staff(enrollment_id=enrollment_id)
    rollup = services.rollup_up_to_date(enrollment=enrollment)  # its risk reasons show here
    context = dashboard_context(enrollment=enrollment)
    logs = Paginator(selectors.study_logs_for_enrollment(enrollment=enrollment), 50).get_page(request.GET.get("page"))
    context.update(
        {
            "staff_view": True,
            "student": enrollment.user,
            "logs": logs,
            "summaries": selectors.weekly_summaries_for_enrollment(enrollment=enrollment),
            "accomplishments": selectors.accomplishments_for_enrollment(enrollment=enrollment),
            "project": selectors.project_submission_for_enrollment(enrollment=enrollment),
            "rollup": rollup,
            "emails": selectors.notifications_for_enrollment(enrollment=enrollment),
        }
    )
    return render(request, "progress/cohort_student.html", context)


@staff_required
def cohort_export(request):
    """The student table with the current filters and sort, streamed row by row (memory stays flat)."""
    query = _table_query(request)
    cohort = _cohort_with_fresh_rollups(slug=query.cohort or None)
    rollups = selectors.cohort_students(cohort=cohort, query=query).select_related("enrollment")
    return export_csv_response(rollups=rollups, filename=f"{cohort.slug}-students")


# A 5 MB file of bad lines would otherwise make a page of a hundred thousand list items.
LINE_ERRORS_SHOWN = 200


@staff_required
@require_http_methods(["GET", "POST"])
def cohort_enrol(request):
    cohort = selectors.cohort_for_staff(slug=query_params(CohortForm, request.GET)["cohort"] or None)
    form = EnrolmentUploadForm(request.POST or None, request.FILES or None)
    line_errors = []
    if request.method == "POST" and form.is_valid():
        file_name, text = form.cleaned_data["file"]
        try:
            rows = services.enrolment_file_validate(text=text)
        except services.EnrolmentFileInvalid as exc:
            line_errors = exc.errors
        else:
            if not health.broker_ok(timeout=1.0):
                form.add_error(None, health.JOBS_UNAVAILABLE)
                return render(request, "progress/cohort_enrol.html", {"cohort": cohort, "form": form, "recent": cohort.imports.all()[:5]}, status=503)
            job = services.enrolment_import_create(
                cohort=cohort, rows=rows, uploaded_by=request.user, file_name=file_name, enqueue=tasks.enrolment_import_apply.delay
            )
            return redirect("cohort:enrol_status", import_id=job.pk)
    context = {
        "cohort": cohort, "form": form, "line_errors": line_errors[:LINE_ERRORS_SHOWN], "error_count": len(line_errors),
        "recent": cohort.imports.all()[:5],
    }
    return render(request, "progress/cohort_enrol.html", context)


@staff_required
def cohort_enrol_status(request, import_id: int):
    job = get_object_or_404(EnrolmentImport.objects.select_related("cohort"), pk=import_id)
    if request.headers.get("Accept", "").startswith("application/json") or request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": job.state, "processed": job.processed_rows, "total": job.total_rows, "percent": job.percent,
                "created_accounts": job.created_accounts, "enrolled_existing_accounts": job.enrolled_existing_accounts,
                "already_enrolled": job.already_enrolled,
            }
        )
    return render(request, "progress/cohort_enrol_status.html", {"job": job})


@staff_required
def cohort_shortlist(request):
    params = query_params(ShortlistQueryForm, request.GET)
    cohort = _cohort_with_fresh_rollups(slug=params["cohort"] or None)
    shortlist = selectors.cohort_shortlist(cohort=cohort, limit=cohort.phase_two_seats)
    if params["format"] == "csv":
        return export_shortlist_csv(rows=shortlist.rows, filename=f"{cohort.slug}-shortlist")
    context = {
        "cohort": cohort,
        "rows": shortlist.rows,
        "ranked_total": shortlist.ranked_total,
        "picked_total": shortlist.picked_total,
    }
    return render(request, "progress/cohort_shortlist.html", context)


@staff_required
@require_POST
def cohort_shortlist_pick(request, enrollment_id: int):
    enrollment = selectors.enrollment_for_staff(enrollment_id=enrollment_id)
    services.phase_two_pick_set(enrollment=enrollment, picked=request.POST.get("picked") == "1", picked_by=request.user)
    return redirect(f"{reverse('cohort:shortlist')}?cohort={enrollment.cohort.slug}#student-{enrollment.pk}")


PREVIEW_KINDS = [
    (Notification.Kind.DEADLINE_REMINDER, "Deadline reminder"),
    (Notification.Kind.STUDENT_DIGEST, "Weekly digest (student)"),
    (Notification.Kind.STAFF_DIGEST, "Weekly cohort digest (staff)"),
]


@staff_required
@require_http_methods(["GET", "POST"])
def emails_preview(request):
    """Each kind of email exactly as a chosen student (or, for the staff digest, you) would get it now;
    a POST sends a copy to you through the job queue."""
    params = query_params(EmailPreviewForm, request.POST if request.method == "POST" else request.GET)
    kind = params["kind"] or Notification.Kind.DEADLINE_REMINDER
    cohort = _cohort_with_fresh_rollups(slug=params["cohort"] or None)
    enrollments = Enrollment.objects.filter(cohort=cohort).select_related("user").order_by("user__email")
    chosen = params["student"]
    enrollment = enrollments.filter(pk=chosen).first() if chosen else enrollments.first()
    if request.method == "POST":
        if not health.broker_ok(timeout=1.0):
            messages.error(request, health.JOBS_UNAVAILABLE)
        else:
            tasks.notification_preview_send.delay(kind, cohort.pk, enrollment.pk if enrollment else None, request.user.pk)
            messages.success(request, f"A copy is on its way to {request.user.email}.")
        return redirect(f"{reverse('emails_preview')}?{urlencode({'cohort': cohort.slug, 'kind': kind, 'student': enrollment.pk if enrollment else ''})}")
    email = selectors.preview_context(kind=kind, cohort=cohort, enrollment=enrollment, staff_user=request.user, now=timezone.now())
    message = services.notification_message(kind=kind, to_user=email["recipient"], context=email) if email else None
    context = {
        "cohort": cohort,
        "kind": kind,
        "kinds": PREVIEW_KINDS,
        "students": enrollments[:500],
        "enrollment": enrollment,
        "message": message,
        "html": message.alternatives[0][0] if message else "",
    }
    return render(request, "progress/emails_preview.html", context)


@staff_required
@require_POST
def cohort_digest_preference(request):
    services.staff_digest_preference_set(user=request.user, wanted=request.POST.get("wanted") == "1")
    return HttpResponseRedirect(safe_next(request, fallback=reverse("cohort:dashboard")))
