"""Staff's groups view (hours per member and the at-risk share of each group) and a mentor's list of who needs a hand."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.decorators import staff_required
from common.forms import query_params
from progress.selectors.cohorts import cohort_for_staff
from progress.selectors.enrollments import enrollment_for_request

from .. import charts
from ..forms import GroupsTableForm
from ..panels import MENTOR_PAGE
from ..selectors.groups import GROUP_SORTS, cohort_group_numbers, groups_by_risk_share, mentor_page

GROUPS_PER_PAGE = 50


@staff_required
def cohort_groups(request):
    params = query_params(GroupsTableForm, request.GET)
    cohort = cohort_for_staff(slug=params["cohort"] or None)
    numbers = cohort_group_numbers(cohort=cohort)
    sort = params["sort"] or "-risk"
    numbers.sort(key=GROUP_SORTS[sort.lstrip("-")], reverse=sort.startswith("-"))
    buckets = groups_by_risk_share(numbers)
    chart = charts.bars_svg(
        bars=buckets,
        title="Groups by the share of their members at risk", value_label=lambda n: f"{n} group{'s' if n != 1 else ''}",
        chart_id="group-risk-chart",
    )
    context = {
        "cohort": cohort, "page": Paginator(numbers, GROUPS_PER_PAGE).get_page(params["page"]), "sort": sort, "chart": chart,
        "params": urlencode({"cohort": cohort.slug, "sort": sort}),
        "buckets": buckets,
        "grouped": sum(g.members for g in numbers), "group_count": len(numbers),
    }
    return render(request, "review/cohort_groups.html", context)


@login_required
def mentor(request):
    """A mentor's groups and their members who are at risk, with why, longest idle first, and the nudges sent to them
    (404-free: no groups, an empty page). Times read in the mentor's own zone (the programme's for staff)."""
    page = mentor_page(user=request.user, enrollment=enrollment_for_request(request))
    group_ids = [group.pk for group in page.groups]
    with timezone.override(page.time_zone):
        return render(request, "review/mentor.html", {
            "groups": page.groups, "group_count": len(page.groups),
            "rows": [(rollup, rollup.status.reason_words) for rollup in page.members_at_risk],
            "panels": MENTOR_PAGE.render(request=request, group_ids=group_ids) if group_ids else [],
        })
