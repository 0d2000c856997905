"""The phase-two shortlist: every student ranked by the cohort's score, and staff's picks."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from common.forms import query_params

from ..exports import export_shortlist_csv
from ..forms import ShortlistQueryForm
from ..selectors.cohorts import enrollment_for_staff
from ..selectors.shortlist import cohort_shortlist as shortlist_for
from ..services.shortlist import phase_two_pick_set
from progress.selectors.cohorts import cohort_for_staff


@staff_required
def cohort_shortlist(request):
    params = query_params(ShortlistQueryForm, request.GET)
    cohort = cohort_for_staff(slug=params["cohort"] or None)
    shortlist = shortlist_for(cohort=cohort, limit=cohort.phase_two_seats)
    if params["format"] == "csv":
        return export_shortlist_csv(rows=shortlist.rows, filename=f"{cohort.slug}-shortlist")
    context = {"cohort": cohort, "rows": shortlist.rows, "ranked_total": shortlist.ranked_total, "picked_total": shortlist.picked_total}
    return render(request, "review/cohort_shortlist.html", context)


@staff_required
@require_POST
def cohort_shortlist_pick(request, enrollment_id: int):
    enrollment = enrollment_for_staff(enrollment_id=enrollment_id)
    phase_two_pick_set(enrollment=enrollment, picked=request.POST.get("picked") == "1", picked_by=request.user)
    return redirect(f"{reverse('cohort:shortlist')}?cohort={enrollment.cohort.slug}#student-{enrollment.pk}")
