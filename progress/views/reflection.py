"""What students write: weekly summaries (their own and the cohort's shared ones) and the challenge project."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from common.forms import form_submit

from ..decorators import enrollment_required
from ..forms import ProjectForm, WeeklySummaryForm
from ..selectors.reflection import (
    project_submission_for_enrollment,
    shared_summaries_for_cohort,
    summary_week_is_open,
    weekly_summaries_overview,
    weekly_summary_draft,
    weekly_summary_for_week,
)
from ..services.reflection import project_submit, weekly_summary_save


@enrollment_required
def summary_list(request, *, enrollment):
    weeks = weekly_summaries_overview(enrollment=enrollment)
    return render(request, "progress/summary_list.html", {"weeks": weeks, "enrollment": enrollment})


@enrollment_required
@require_http_methods(["GET", "POST"])
def summary_write(request, week: int, *, enrollment):
    if not summary_week_is_open(enrollment=enrollment, week_number=week):
        raise Http404("That week has not begun.")
    summary = weekly_summary_for_week(enrollment=enrollment, week_number=week)
    if summary is not None:
        initial = {"body": summary.body, "is_shared": summary.is_shared}
    else:
        initial = {"body": weekly_summary_draft(enrollment=enrollment, week_number=week)}
    form = WeeklySummaryForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = form.cleaned_data["body"]
        elif form_submit(form, weekly_summary_save, enrollment=enrollment, week_number=week)[0]:
            shared = " and shared it with the cohort" if form.cleaned_data["is_shared"] else ""
            messages.success(request, f"Saved your week {week} summary{shared}.")
            return redirect("progress:summary_list")
    context = {"form": form, "week": week, "summary": summary, "preview": preview, "is_draft": summary is None}
    return render(request, "progress/summary_form.html", context)


@enrollment_required
def community_summaries(request, *, enrollment):
    page = Paginator(shared_summaries_for_cohort(cohort=enrollment.cohort), 20).get_page(request.GET.get("page"))
    return render(request, "progress/community_summaries.html", {"page": page, "enrollment": enrollment})


@enrollment_required
@require_http_methods(["GET", "POST"])
def project(request, *, enrollment):
    submission = project_submission_for_enrollment(enrollment=enrollment)
    is_closed = enrollment.cohort.is_closed(timezone.now())
    initial = {"url": submission.url, "description": submission.description, "score": submission.score} if submission else {}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and form_submit(form, project_submit, enrollment=enrollment)[0]:
        messages.success(request, "Your project is handed in. You can change it until the cut-off.")
        return redirect("progress:project")
    context = {"form": form, "submission": submission, "is_closed": is_closed, "enrollment": enrollment}
    # A hand-in refused because the course has closed is a forbidden change, not a typo.
    status = 403 if request.method == "POST" and is_closed else 200
    return render(request, "progress/project.html", context, status=status)
