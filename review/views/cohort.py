"""The cohort page (headline, funnel, charts, the student table) and its CSV export."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import staff_required
from common.forms import InvalidQuery
from common.fragments import form_fields_drawing
from progress.charts import day_list
from progress.models import Cohort
from progress.selectors.cohorts import cohort_for_staff

from .. import charts
from ..columns import TABLE_COLUMNS, table_rows
from ..exports import export_csv_response
from ..forms import CohortTableForm
from ..headline import HEADLINE_LABELS
from ..panels import COHORT_PAGE
from ..selectors.cohorts import (
    FILTERS,
    PAGE_SIZE,
    TableQuery,
    cohort_charts,
    cohort_headline_with_change,
    cohort_students,
    cohort_time_zones,
    cohort_today,
)
from ..selectors.groups import cohort_group_choices
from ..services.rollups import rollups_up_to_date

COHORT_TEMPLATE = "review/cohort_dashboard.html"


def cohort_up_to_date(*, slug: str | None) -> Cohort:
    """The cohort asked for, its rollups first brought up to every committed write."""
    cohort = cohort_for_staff(slug=slug)
    rollups_up_to_date(cohort_id=cohort.pk)
    return cohort


def _table_query(request) -> TableQuery:
    form = CohortTableForm(request.GET)
    if not form.is_valid():
        raise InvalidQuery(form)
    return form.table_query()


@staff_required
def cohort_dashboard(request):
    query = _table_query(request)
    cohort = cohort_up_to_date(slug=query.cohort or None)
    groups = cohort_group_choices(cohort=cohort)
    page = Paginator(cohort_students(cohort=cohort, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    drawn = cohort_charts(cohort=cohort)
    today = cohort_today(cohort=cohort)
    context = {
        "cohort": cohort,
        "query": query,
        "page": page,
        "rows": table_rows(rollups=page, cohort=cohort),
        "headline_cards": [
            {"key": key, "label": HEADLINE_LABELS[key], "value": value, "change": change}
            for key, value, change in cohort_headline_with_change(cohort=cohort).items()
        ],
        "funnel": drawn.funnel,
        "charts_computed_at": drawn.computed_at,
        "funnel_top": max([step.completed for step in drawn.funnel] + [1]),
        "filters": FILTERS,
        "time_zones": cohort_time_zones(cohort=cohort),
        "groups": groups,
        # The filter's group options (hundreds in a large cohort) are drawn once per list and choice.
        **form_fields_drawing([query.group, groups], COHORT_TEMPLATE),
        "hours_chart": charts.bars_svg(
            bars=[(f"{day:%-d %b}", minutes // 60) for day, minutes in drawn.hours_per_day.items()],
            title="Cohort hours studied per day", value_label=lambda v: f"{v} h", chart_id="cohort-hours", highlight=f"{today:%-d %b}",
        ),
        "hours_per_day": day_list(drawn.hours_per_day),
        "histogram_chart": charts.bars_svg(
            bars=[(f"{low} h", count) for low, count in drawn.histogram],
            title="Students by total hours studied", value_label=lambda v: f"{v} students", chart_id="histogram",
        ),
        "histogram": drawn.histogram,
        "at_risk_params": query.url_params(show="at_risk"),
        "sort_columns": [
            {
                "key": column.key,
                "label": column.label,
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
    cohort = cohort_up_to_date(slug=query.cohort or None)
    rollups = cohort_students(cohort=cohort, query=query).select_related("enrollment")
    return export_csv_response(rollups=rollups, cohort=cohort, filename=f"{cohort.slug}-students")
