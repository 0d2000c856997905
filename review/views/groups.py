"""Staff's groups view (hours per member and the at-risk share of each group) and a mentor's list of who needs a hand."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.decorators import staff_required
from common.forms import query_params
from groups.selectors import member_enrollment_ids, mentor_group_ids

from .. import charts
from ..columns import risk_words
from ..forms import GroupsTableForm
from ..selectors.groups import GROUP_SORTS, cohort_group_numbers, groups_by_risk_share, mentor_members_at_risk
from ..services.rollups import rollups_up_to_date
from .cohort import cohort_up_to_date

GROUPS_PER_PAGE = 50


@staff_required
def cohort_groups(request):
    params = query_params(GroupsTableForm, request.GET)
    cohort = cohort_up_to_date(slug=params["cohort"] or None)
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
    """A mentor's groups' members who are at risk, with why, longest idle first (404-free: no groups, an empty page)."""
    group_ids = mentor_group_ids(user=request.user)
    rows = []
    if group_ids:
        rollups_up_to_date(enrollment_ids=member_enrollment_ids(group_ids=group_ids))
        rows = [(rollup, risk_words(rollup, rollup.cohort)) for rollup in mentor_members_at_risk(group_ids=group_ids)]
    return render(request, "review/mentor.html", {"rows": rows, "group_count": len(group_ids)})
