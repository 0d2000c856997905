"""Staff pages for reviewing a cohort. Every view here needs a staff account."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render


from . import charts, selectors
from .exports import export_csv_response, plan_status_words
from .views import dashboard_context


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


@staff_required
def cohort_dashboard(request):
    query = selectors.TableQuery.from_params(request.GET)
    cohort = selectors.cohort_for_staff(slug=query.cohort or None)
    page = Paginator(selectors.cohort_students(cohort=cohort, query=query), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    funnel = selectors.cohort_funnel(cohort=cohort)
    hours_per_day = selectors.cohort_hours_per_day(cohort=cohort)
    histogram = selectors.cohort_hours_histogram(cohort=cohort)
    today = selectors.cohort_today(cohort=cohort)
    context = {
        "cohort": cohort,
        "query": query,
        "page": page,
        "rows": [(rollup, plan_status_words(rollup.days_ahead)) for rollup in page],
        "headline": selectors.cohort_headline(cohort=cohort),
        "funnel": funnel,
        "funnel_top": max([step.completed for step in funnel] + [1]),
        "filters": selectors.FILTERS,
        "time_zones": selectors.cohort_time_zones(cohort=cohort),
        "hours_chart": charts.bars_svg(
            bars=[(f"{day:%-d %b}", minutes // 60) for day, minutes in hours_per_day.items()],
            title="Cohort hours studied per day", value_label=lambda v: f"{v} h", chart_id="cohort-hours",
            highlight=f"{today:%-d %b}",
        ),
        "hours_per_day": hours_per_day,
        "histogram_chart": charts.bars_svg(
            bars=[(f"{low} h", count) for low, count in histogram],
            title="Students by total hours studied", value_label=lambda v: f"{v} students", chart_id="histogram",
        ),
        "histogram": histogram,
        "at_risk_params": query.url_params(show="at_risk"),
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
    context = dashboard_context(enrollment=enrollment)
    logs = Paginator(selectors.study_logs_for_enrollment(enrollment=enrollment), 50).get_page(request.GET.get("page"))
    context.update(
        {
            "staff_view": True,
            "student": enrollment.user,
            "logs": logs,
            "summaries": list(enrollment.weekly_summaries.order_by("week_number")),
            "accomplishments": selectors.accomplishments_for_enrollment(enrollment=enrollment),
            "project": selectors.project_submission_for_enrollment(enrollment=enrollment),
            "rollup": getattr(enrollment, "rollup", None),
        }
    )
    return render(request, "progress/cohort_student.html", context)


@staff_required
def cohort_export(request):
    """The student table with the current filters and sort, streamed row by row (memory stays flat)."""
    query = selectors.TableQuery.from_params(request.GET)
    cohort = selectors.cohort_for_staff(slug=query.cohort or None)
    rollups = selectors.cohort_students(cohort=cohort, query=query).select_related("enrollment")
    return export_csv_response(rollups=rollups, filename=f"{cohort.slug}-students")
