"""Staff's group tools: "form groups" with its preview and progress, moving students, setting mentors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_required
from common import health
from common.forms import query_params
from progress.selectors.cohorts import cohort_for_staff

from .. import tasks
from ..forming import plan_summary
from ..forms import CohortForm, MemberRemoveForm, MentorForm, MentorRemoveForm, MoveForm
from ..models import FormingRun, StudyGroup
from ..services.forming import forming_preview, forming_run_create
from ..services import membership

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
    context = {
        "cohort": cohort, "planned": planned[:PREVIEW_ROWS], "rows": len(planned), "summary": plan_summary(planned),
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


def _staff_form_action(request, pk: int, form_class, *, invalid: str, action, success: str):
    """A staff action on a group's page: the form's values go to `action(group=..., **values)`, a service; what it
    refuses is said on the page the staff member returns to."""
    group = get_object_or_404(StudyGroup, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect(group)
    try:
        action(group=group, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(group)


@staff_required
@require_POST
def member_add(request, pk: int):
    return _staff_form_action(request, pk, MoveForm, invalid="Enter the student's email address.", action=membership.member_add_by_email,
                              success="Moved the student into this group.")


@staff_required
@require_POST
def member_remove(request, pk: int):
    return _staff_form_action(
        request, pk, MemberRemoveForm, invalid="That student is not in this group.",
        action=lambda group, enrollment: membership.member_remove(group=group, enrollment_id=enrollment), success="Took the student out of this group.",
    )


@staff_required
@require_POST
def mentor_set(request, pk: int):
    return _staff_form_action(request, pk, MentorForm, invalid="Enter the mentor's email address.", action=membership.mentor_add,
                              success="Added the mentor.")


@staff_required
@require_POST
def mentor_unset(request, pk: int):
    return _staff_form_action(
        request, pk, MentorRemoveForm, invalid="That person is not a mentor of this group.",
        action=lambda group, mentor: membership.mentor_remove(group=group, mentor_id=mentor), success="Removed the mentor.",
    )
