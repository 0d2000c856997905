"""The cohort page (headline, funnel, charts, the student table) and its CSV export."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import format_html_join

from accounts.decorators import staff_required
from common.forms import InvalidQuery
from progress.charts import day_list
from progress.selectors.cohorts import cohort_for_staff, cohort_rebuilds_running

from .. import charts
from ..columns import TABLE_COLUMNS, table_rows
from ..exports import export_csv_response
from ..forms import CohortTableForm
from ..headline import HEADLINE_LABELS, VERDICT_BUCKETS
from ..panels import COHORT_PAGE
from ..selectors.cohorts import (
    FILTERS,
    PAGE_SIZE,
    TableQuery,
    cohort_charts,
    cohort_headline_with_change,
    cohort_missing_rollups,
    cohort_students,
    cohort_time_zones,
    cohort_today,
    rollups_with_people,
)
from ..selectors.groups import cohort_group_choices

COHORT_TEMPLATE = "review/cohort_dashboard.html"


def _table_query(request) -> TableQuery:
    form = CohortTableForm(request.GET)
    if not form.is_valid():
        raise InvalidQuery(form)
    return form.table_query()


@staff_required
def cohort_dashboard(request):
    query = _table_query(request)
    cohort = cohort_for_staff(slug=query.cohort or None)
    groups = cohort_group_choices(cohort=cohort)
    zones = cohort_time_zones(cohort=cohort)  # read once: the filter, the table's and the headline's verdicts
    students = cohort_students(cohort=cohort, query=query, time_zones=zones).values_list("pk", flat=True)
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    shared = cohort_charts(cohort=cohort)
    headline = cohort_headline_with_change(cohort=cohort, time_zones=zones)
    today = cohort_today(cohort=cohort)
    context = {
        "cohort": cohort,
        "query": query,
        "page": page,
        "rows": table_rows(rollups=rollups_with_people(ids=list(page)), cohort=cohort),
        "headline_cards": [
            {"key": key, "label": HEADLINE_LABELS[key], "value": value, "change": change,
             "params": query.url_params(show=key, page="") if key in VERDICT_BUCKETS else ""}
            for key, value, change in headline.items()
        ],
        "rebuilds": cohort_rebuilds_running(cohort=cohort),
        "missing_rollups": cohort_missing_rollups(cohort=cohort, kept=headline.now.enrolled),
        "funnel": shared.funnel,
        "charts_computed_at": shared.computed_at,
        "funnel_top": max([step.completed for step in shared.funnel] + [1]),
        "filters": FILTERS,
        "time_zones": zones,
        # Hundreds of groups in a large cohort: their options are built in one escaped pass (format_html_join).
        "group_options": format_html_join(
            "", '<option value="{}"{}>{}</option>', ((pk, " selected" if query.group == pk else "", name) for pk, name in groups)
        ),
        "hours_chart": charts.bars_svg(
            bars=[(f"{day:%-d %b}", minutes // 60) for day, minutes in shared.hours_per_day.items()],
            title="Cohort hours studied per day", value_label=lambda v: f"{v} h", chart_id="cohort-hours", highlight=f"{today:%-d %b}",
        ),
        "hours_per_day": day_list(shared.hours_per_day),
        "histogram_chart": charts.bars_svg(
            bars=[(f"{low} h", count) for low, count in shared.histogram],
            title="Students by total hours studied", value_label=lambda v: f"{v} students", chart_id="histogram",
        ),
        "histogram": shared.histogram,
        "sort_columns": [
            {
                "key": column.key,
                "label": column.label,
                "sortable": column.order_by is not None,
                "params": query.sort_link(column.key),
                "direction": "ascending" if query.sort == column.key else "descending" if query.sort == f"-{column.key}" else "",
            }
            for column in TABLE_COLUMNS
        ],
        "panels": COHORT_PAGE.render(request=request, cohort=cohort),
    }
    return render(request, COHORT_TEMPLATE, context)


@staff_required
def cohort_export(request):
    """The student table with the current filters and sort, streamed row by row (memory stays flat)."""
    query = _table_query(request)
    cohort = cohort_for_staff(slug=query.cohort or None)
    rollups = cohort_students(cohort=cohort, query=query)
    return export_csv_response(rollups=rollups, cohort=cohort, filename=f"{cohort.slug}-students")
