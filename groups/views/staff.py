"""Staff's group tools: "form groups" with its preview and progress, moving students, setting mentors."""

import statistics

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_required
from common import health
from common.forms import query_params
from progress.models import Enrollment
from progress.selectors.cohorts import cohort_for_staff

from .. import tasks
from ..forms import CohortForm, MemberRemoveForm, MentorForm, MentorRemoveForm, MoveForm
from ..models import FormingRun, StudyGroup
from ..services.forming import forming_preview, forming_run_create
from ..services.membership import membership_move, mentor_add, mentor_remove

PREVIEW_ROWS = 60


@staff_required
@require_http_methods(["GET", "POST"])
def form_groups(request):
    cohort = cohort_for_staff(slug=query_params(CohortForm, request.GET)["cohort"] or None)
    status = 200
    if request.method == "POST":
        if health.broker_ok(timeout=1.0):
            run = forming_run_create(cohort=cohort, started_by=request.user, enqueue=tasks.forming_run_apply.delay)
            return redirect("groups:forming_status", run_id=run.pk)
        messages.error(request, health.JOBS_UNAVAILABLE)
        status = 503
    planned = forming_preview(cohort=cohort)
    sizes = [group.size for group in planned]
    context = {
        "cohort": cohort, "planned": planned[:PREVIEW_ROWS], "group_total": len(planned), "student_total": sum(sizes),
        "size_range": (min(sizes), max(sizes)) if sizes else None, "median_size": statistics.median(sizes) if sizes else None,
        "widest_band": max((g.offset_high - g.offset_low for g in planned), default=0),
        "recent": cohort.forming_runs.all()[:5],
    }
    return render(request, "groups/form_groups.html", context, status=status)


@staff_required
def forming_status(request, run_id: int):
    run = get_object_or_404(FormingRun.objects.select_related("cohort"), pk=run_id)
    if request.headers.get("Accept", "").startswith("application/json") or request.GET.get("format") == "json":
        return JsonResponse(
            {"state": run.state, "processed": run.applied_groups, "total": run.total_groups, "percent": run.percent,
             "placed_students": run.placed_students, "skipped_students": run.skipped_students}
        )
    return render(request, "groups/forming_status.html", {"run": run})


def _done(request, group: StudyGroup, action, success: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(group)


@staff_required
@require_POST
def member_add(request, pk: int):
    group = get_object_or_404(StudyGroup, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the student's email address.")
        return redirect(group)
    enrollment = Enrollment.objects.filter(cohort_id=group.cohort_id, user__email__iexact=form.cleaned_data["email"]).first()
    if enrollment is None:
        messages.error(request, "No student of this cohort has that email.")
        return redirect(group)
    return _done(request, group, lambda: membership_move(enrollment=enrollment, group=group), "Moved the student into this group.")


@staff_required
@require_POST
def member_remove(request, pk: int):
    group = get_object_or_404(StudyGroup, pk=pk)
    form = MemberRemoveForm(request.POST)
    enrollment = Enrollment.objects.filter(pk=form.cleaned_data["enrollment"], group_membership__group=group).first() if form.is_valid() else None
    if enrollment is None:
        messages.error(request, "That student is not in this group.")
        return redirect(group)
    return _done(request, group, lambda: membership_move(enrollment=enrollment, group=None), "Took the student out of this group.")


@staff_required
@require_POST
def mentor_set(request, pk: int):
    group = get_object_or_404(StudyGroup, pk=pk)
    form = MentorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the mentor's email address.")
        return redirect(group)
    return _done(request, group, lambda: mentor_add(group=group, email=form.cleaned_data["email"]), "Added the mentor.")


@staff_required
@require_POST
def mentor_unset(request, pk: int):
    group = get_object_or_404(StudyGroup, pk=pk)
    form = MentorRemoveForm(request.POST)
    if not form.is_valid() or not mentor_remove(group=group, mentor_id=form.cleaned_data["mentor"]):
        messages.error(request, "That person is not a mentor of this group.")
        return redirect(group)
    messages.success(request, "Removed the mentor.")
    return redirect(group)
