import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from scholarship.timezones import hours_display

from . import selectors, services
from .decorators import enrollment_required
from .forms import ProfileForm, StudyLogForm

LOGS_PER_PAGE = 25


def home(request):
    if request.user.is_authenticated:
        return redirect("progress:dashboard")
    return render(request, "home.html", {"cohort": selectors.cohort_open_for_signup()})


@enrollment_required
def dashboard(request, *, enrollment):
    numbers = selectors.dashboard_for_enrollment(enrollment=enrollment)
    return render(request, "progress/dashboard.html", {"enrollment": enrollment, "numbers": numbers})


@enrollment_required
def log_list(request, *, enrollment):
    page = Paginator(selectors.study_logs_for_enrollment(enrollment=enrollment), LOGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "progress/log_list.html", {"page": page, "enrollment": enrollment})


def _day_from_query(text: str | None) -> dt.date | None:
    try:
        return parse_date(text or "")
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        return None


def _log_form_page(request, *, enrollment, log=None):
    today = selectors.enrollment_today(enrollment=enrollment)
    if log is None:
        initial = {"day": _day_from_query(request.GET.get("day")) or today}
        current = selectors.lesson_current_for_enrollment(enrollment=enrollment)
        if lesson_id := request.GET.get("lesson"):
            initial["lesson"] = lesson_id
        elif current is not None:
            initial["lesson"] = current.pk
    else:
        initial = {
            "day": log.day,
            "lesson": log.lesson_id,
            "minutes": log.minutes,
            "community_minutes": log.community_minutes,
            "notes": log.notes,
        }
    form = StudyLogForm(request.POST or None, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            saved, created = services.study_log_save(enrollment=enrollment, log=log, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            what = f"{hours_display(saved.minutes)} on {saved.lesson} for {saved.day:%a %-d %b}"
            if log is None and not created:
                messages.info(request, f"You had already logged that lesson that day, so we updated it: {what}.")
            else:
                messages.success(request, f"Saved {what}.")
            return redirect("progress:log_list")
    context = {
        "form": form,
        "log": log,
        "today": today,
        "yesterday": today - dt.timedelta(days=1),
        "enrollment": enrollment,
    }
    return render(request, "progress/log_form.html", context)


@enrollment_required
@require_http_methods(["GET", "POST"])
def log_create(request, *, enrollment):
    return _log_form_page(request, enrollment=enrollment)


@enrollment_required
@require_http_methods(["GET", "POST"])
def log_edit(request, pk: int, *, enrollment):
    log = selectors.study_log_get_for_user(user=request.user, log_id=pk)
    return _log_form_page(request, enrollment=log.enrollment, log=log)


@enrollment_required
@require_http_methods(["GET", "POST"])
def log_delete(request, pk: int, *, enrollment):
    log = selectors.study_log_get_for_user(user=request.user, log_id=pk)
    if request.method == "POST":
        services.study_log_delete(log=log)
        messages.success(request, f"Deleted the log for {log.lesson} on {log.day:%a %-d %b}.")
        return redirect("progress:log_list")
    return render(request, "progress/log_confirm_delete.html", {"log": log})


@enrollment_required
@require_http_methods(["GET", "POST"])
def profile(request, *, enrollment):
    initial = {
        "full_name": request.user.full_name,
        "time_zone": enrollment.time_zone,
        "weekday_goal_hours": enrollment.weekday_goal_hours,
        "weekend_goal_hours": enrollment.weekend_goal_hours,
        "wants_reminders": enrollment.wants_reminders,
        "wants_digests": enrollment.wants_digests,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_preferences_update(enrollment=enrollment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("progress:profile")
    return render(request, "progress/profile.html", {"form": form, "enrollment": enrollment})


