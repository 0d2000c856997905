"""The study log: the list, the form that adds or edits a day's time on a lesson, and deleting one."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.forms import form_submit, query_params

from ..decorators import enrollment_required
from ..forms import LogSuggestionForm, StudyLogForm
from ..selectors.enrollments import enrollment_today
from ..selectors.logs import lesson_current_for_enrollment, study_log_get_for_user, study_logs_for_enrollment
from ..services.study_logs import study_log_delete, study_log_save, study_log_saved_words

LOGS_PER_PAGE = 25


@enrollment_required
def log_list(request, *, enrollment):
    page = Paginator(study_logs_for_enrollment(enrollment=enrollment), LOGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "progress/log_list.html", {"page": page, "enrollment": enrollment})


def _log_form_page(request, *, enrollment, log=None):
    today = enrollment_today(enrollment=enrollment)
    if request.method == "POST":
        initial = {}  # a bound form shows what was posted, so the suggestions below would go unused
    elif log is None:
        suggested = query_params(LogSuggestionForm, request.GET)
        initial = {"day": suggested["day"] or today}
        if suggested["lesson"]:
            initial["lesson"] = suggested["lesson"]
        elif (current := lesson_current_for_enrollment(enrollment=enrollment)) is not None:
            initial["lesson"] = current.pk
    else:
        initial = {
            "day": log.day, "lesson": log.lesson_id, "minutes": log.minutes, "community_minutes": log.community_minutes, "notes": log.notes,
        }
    data = request.POST if request.method == "POST" else None
    if data is not None and log is not None and "community_minutes" not in data:
        # A form without the field (an old page, a script) edits the rest: the log's community time stays.
        data = data.copy()
        data["community_minutes"] = f"{log.community_minutes}m"
    form = StudyLogForm(data, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        ok, result = form_submit(form, study_log_save, enrollment=enrollment, log=log)
        if ok:
            saved, created = result
            words = study_log_saved_words(log=saved, created=created, editing=log is not None)
            (messages.success if created or log is not None else messages.info)(request, words)
            return redirect("progress:log_list")
    context = {"form": form, "log": log, "today": today, "yesterday": today - dt.timedelta(days=1), "enrollment": enrollment}
    return render(request, "progress/log_form.html", context)


@enrollment_required
@require_http_methods(["GET", "POST"])
def log_create(request, *, enrollment):
    return _log_form_page(request, enrollment=enrollment)


@enrollment_required
@require_http_methods(["GET", "POST"])
def log_edit(request, pk: int, *, enrollment):
    log = study_log_get_for_user(user=request.user, log_id=pk)
    return _log_form_page(request, enrollment=log.enrollment, log=log)


@enrollment_required
@require_http_methods(["GET", "POST"])
def log_delete(request, pk: int, *, enrollment):
    log = study_log_get_for_user(user=request.user, log_id=pk)
    if request.method == "POST":
        study_log_delete(log=log)
        messages.success(request, f"Deleted the log for {log.lesson} on {log.day:%a %-d %b}.")
        return redirect("progress:log_list")
    return render(request, "progress/log_confirm_delete.html", {"log": log})
