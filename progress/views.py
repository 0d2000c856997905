import datetime as dt
import functools
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.core import signing
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from scholarship.forms import InvalidQuery, form_submit, query_params
from scholarship.timezones import hours_display

from . import calendar_feed, charts, planning, selectors, services
from .decorators import enrollment_required
from .models import Notification
from .forms import (
    AccomplishmentForm,
    CalendarFeedForm,
    LogSuggestionForm,
    ProfileForm,
    ProjectForm,
    ScheduleForm,
    ScheduleItemMoveForm,
    StudyLogForm,
    WeeklySummaryForm,
)

LOGS_PER_PAGE = 25
# A drawn dashboard is reused while nothing it shows has changed (see selectors.dashboard_cache_key);
# ten minutes bounds how long a lesson's edited title or estimate takes to show on it.
DASHBOARD_CACHE_SECONDS = 600
DASHBOARD_TEMPLATES = ("progress/_dashboard_content.html", "progress/_standing.html")


def home(request):
    if request.user.is_authenticated:
        if request.user.is_staff and selectors.enrollment_current_for_user(user=request.user) is None:
            return redirect("cohort:dashboard")
        return redirect("progress:dashboard")
    return render(request, "home.html", {"cohort": selectors.cohort_open_for_signup()})


def dashboard_context(*, enrollment, now: dt.datetime | None = None) -> dict:
    """What the dashboard template needs: the numbers and their charts. Shared with the staff drill-down."""
    numbers = selectors.dashboard_for_enrollment(enrollment=enrollment, now=now)
    cohort = enrollment.cohort
    first_day = min(cohort.opens_on, *numbers.minutes_by_day) if numbers.minutes_by_day else cohort.opens_on
    pace = numbers.pace
    return {
        "enrollment": enrollment,
        "numbers": numbers,
        "pace": pace,
        "forecast": pace.forecast,
        "calendar_list": charts.calendar_list_html(minutes_by_day=numbers.minutes_by_day),
        "heatmap": charts.heatmap_svg(
            minutes_by_day=numbers.minutes_by_day, first_day=first_day, last_day=pace.cutoff_day,
            today=numbers.today, cutoff_day=pace.cutoff_day,
        ),
        "cumulative": charts.cumulative_svg(
            minutes_by_day=numbers.minutes_by_day, planned_cumulative=pace.planned_cumulative, first_day=first_day,
            last_day=pace.cutoff_day, today=numbers.today,
            total_minutes_goal=sum(lesson.estimated_minutes for lesson in numbers.lessons),
            forecast_finish=pace.forecast.finish_on_7_day_pace or pace.forecast.finish_on_overall_pace,
        ),
        "planned_by_today": planning.planned_by(pace.planned_cumulative, numbers.today),
    }


@functools.cache
def _dashboard_templates_version() -> str:
    """Changes with the dashboard's templates, so a deploy never serves a dashboard drawn by the old ones."""
    sources = "".join(get_template(name).template.source for name in DASHBOARD_TEMPLATES)
    return hashlib.sha256(sources.encode()).hexdigest()[:8]


@enrollment_required
def dashboard(request, *, enrollment):
    now = timezone.now()
    key = f"{selectors.dashboard_cache_key(enrollment=enrollment, now=now)}:{_dashboard_templates_version()}"
    content = cache.get(key)
    if content is None:
        content = render_to_string(DASHBOARD_TEMPLATES[0], dashboard_context(enrollment=enrollment, now=now))
        cache.set(key, content, DASHBOARD_CACHE_SECONDS)
    return render(request, "progress/dashboard.html", {"content": mark_safe(content)})


@enrollment_required
def log_list(request, *, enrollment):
    page = Paginator(selectors.study_logs_for_enrollment(enrollment=enrollment), LOGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "progress/log_list.html", {"page": page, "enrollment": enrollment})


def _log_form_page(request, *, enrollment, log=None):
    today = selectors.enrollment_today(enrollment=enrollment)
    if request.method == "POST":
        initial = {}  # a bound form shows what was posted, so the suggestions below would go unused
    elif log is None:
        suggested = query_params(LogSuggestionForm, request.GET)
        initial = {"day": suggested["day"] or today}
        if suggested["lesson"]:
            initial["lesson"] = suggested["lesson"]
        elif (current := selectors.lesson_current_for_enrollment(enrollment=enrollment)) is not None:
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
        ok, result = form_submit(form, services.study_log_save, enrollment=enrollment, log=log)
        if ok:
            saved, created = result
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


def _profile_page(request, *, enrollment, form=None, accomplishment_form=None, status=200):
    initial = {
        "full_name": request.user.full_name,
        "time_zone": enrollment.time_zone,
        "weekday_goal_hours": enrollment.weekday_goal_hours,
        "weekend_goal_hours": enrollment.weekend_goal_hours,
        "wants_reminders": enrollment.wants_reminders,
        "wants_digests": enrollment.wants_digests,
    }
    context = {
        "form": form or ProfileForm(initial=initial),
        "accomplishment_form": accomplishment_form or AccomplishmentForm(
            initial={"achieved_on": selectors.enrollment_today(enrollment=enrollment)}
        ),
        "accomplishments": selectors.accomplishments_for_enrollment(enrollment=enrollment),
        "enrollment": enrollment,
    }
    return render(request, "progress/profile.html", context, status=status)


@enrollment_required
@require_http_methods(["GET", "POST"])
def profile(request, *, enrollment):
    if request.method != "POST":
        return _profile_page(request, enrollment=enrollment)
    form = ProfileForm(request.POST)
    if form.is_valid() and form_submit(form, services.enrollment_preferences_update, enrollment=enrollment)[0]:
        messages.success(request, "Your profile is saved.")
        return redirect("progress:profile")
    return _profile_page(request, enrollment=enrollment, form=form)


@enrollment_required
@require_POST
def accomplishment_add(request, *, enrollment):
    form = AccomplishmentForm(request.POST)
    if form.is_valid() and form_submit(form, services.accomplishment_add, enrollment=enrollment)[0]:
        messages.success(request, f"Added “{form.cleaned_data['title']}” to your accomplishments.")
        return redirect("progress:profile")
    return _profile_page(request, enrollment=enrollment, accomplishment_form=form)


@enrollment_required
@require_POST
def accomplishment_delete(request, pk: int, *, enrollment):
    accomplishment = selectors.accomplishment_get_for_user(user=request.user, accomplishment_id=pk)
    services.accomplishment_delete(accomplishment=accomplishment)
    messages.success(request, f"Removed “{accomplishment.title}”.")
    return redirect("progress:profile")


@enrollment_required
def summary_list(request, *, enrollment):
    weeks = selectors.weekly_summaries_overview(enrollment=enrollment)
    return render(request, "progress/summary_list.html", {"weeks": weeks, "enrollment": enrollment})


@enrollment_required
@require_http_methods(["GET", "POST"])
def summary_write(request, week: int, *, enrollment):
    current = selectors.summary_current_week(enrollment=enrollment)
    if not 1 <= week <= current:
        raise Http404("That week has not begun.")
    summary = selectors.weekly_summary_for_week(enrollment=enrollment, week_number=week)
    if summary is not None:
        initial = {"body": summary.body, "is_shared": summary.is_shared}
    else:
        initial = {"body": selectors.weekly_summary_draft(enrollment=enrollment, week_number=week)}
    form = WeeklySummaryForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = form.cleaned_data["body"]
        elif form_submit(form, services.weekly_summary_save, enrollment=enrollment, week_number=week)[0]:
            shared = " and shared it with the cohort" if form.cleaned_data["is_shared"] else ""
            messages.success(request, f"Saved your week {week} summary{shared}.")
            return redirect("progress:summary_list")
    context = {"form": form, "week": week, "summary": summary, "preview": preview, "is_draft": summary is None}
    return render(request, "progress/summary_form.html", context)


@enrollment_required
def community_summaries(request, *, enrollment):
    page = Paginator(selectors.shared_summaries_for_cohort(cohort=enrollment.cohort), 20).get_page(request.GET.get("page"))
    return render(request, "progress/community_summaries.html", {"page": page, "enrollment": enrollment})


@enrollment_required
@require_http_methods(["GET", "POST"])
def project(request, *, enrollment):
    submission = selectors.project_submission_for_enrollment(enrollment=enrollment)
    is_closed = timezone.now() >= enrollment.cohort.cutoff_at
    initial = {"url": submission.url, "description": submission.description, "score": submission.score} if submission else {}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and form_submit(form, services.project_submit, enrollment=enrollment)[0]:
        messages.success(request, "Your project is handed in. You can change it until the cut-off.")
        return redirect("progress:project")
    context = {"form": form, "submission": submission, "is_closed": is_closed, "enrollment": enrollment}
    # A hand-in refused because the course has closed is a forbidden change, not a typo.
    status = 403 if request.method == "POST" and is_closed else 200
    return render(request, "progress/project.html", context, status=status)


def _plan_saved_message(request, outcome) -> None:
    if outcome.fits_target:
        early = (outcome.cutoff_day - outcome.ends_on).days
        messages.success(
            request,
            f"Plan saved: you finish on {outcome.ends_on:%a %-d %b}, {early} day{'s' if early != 1 else ''} before the cut-off.",
        )
    elif outcome.fits_cutoff:
        messages.warning(
            request,
            f"Plan saved, but at these hours you finish on {outcome.ends_on:%a %-d %b}, after your target of "
            f"{outcome.target_on:%a %-d %b}.",
        )
    else:
        messages.error(request, "Plan saved although it does not finish before the cut-off. Raise your hours to make it.")


@enrollment_required
@require_http_methods(["GET", "POST"])
def schedule(request, *, enrollment):
    page = selectors.schedule_page(enrollment=enrollment)
    late_outcome = None
    window = (enrollment.cohort.opens_on, page.cutoff_day)
    if request.method == "POST" and request.POST.get("action") == "replan" and page.plan is not None:
        # "Re-plan from today" goes through the same form and the same cut-off warning.
        form = ScheduleForm.submitted(services.replan_defaults(enrollment=enrollment), window=window)
    else:
        form = ScheduleForm(request.POST or None, initial=page.defaults, window=window)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.schedule_build(enrollment=enrollment, **form.cleaned_data)
        except services.PlanAfterCutoff as exc:
            late_outcome = exc.outcome
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _plan_saved_message(request, outcome)
            return redirect("progress:schedule")
    timeline = None
    if page.plan is not None:
        timeline = charts.timeline_svg(
            items=page.items, first_day=min(page.plan.starts_on, page.today), last_day=page.cutoff_day,
            today=page.today, cutoff_day=page.cutoff_day,
        )
    context = {
        "page": page,
        "form": form,
        "late_outcome": late_outcome,
        "timeline": timeline,
        "enrollment": enrollment,
        "calendar_url": (
            request.build_absolute_uri(reverse("progress:schedule_ics")) + f"?token={page.plan.calendar_token}"
            if page.plan
            else None
        ),
    }
    return render(request, "progress/schedule.html", context)


@enrollment_required
@require_POST
def schedule_item_move(request, pk: int, *, enrollment):
    item = selectors.schedule_item_get_for_user(user=request.user, item_id=pk)
    form = ScheduleItemMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick the new last day as a date.")
        return redirect("progress:schedule")
    try:
        services.schedule_item_move(item=item, ends_on=form.cleaned_data["ends_on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Lesson {item.lesson.number} now ends on {form.cleaned_data['ends_on']:%a %-d %b}.")
    return redirect("progress:schedule")


@enrollment_required
@require_POST
def calendar_token_reset(request, *, enrollment):
    plan = selectors.plan_for_enrollment(enrollment=enrollment)
    if plan is None:
        raise Http404("No plan yet.")
    services.calendar_token_reset(plan=plan)
    messages.success(request, "Your calendar address is new; the old one no longer works. Subscribe again with the new one.")
    return redirect("progress:schedule")


@never_cache
def schedule_ics(request):
    """Public by design: calendar apps can not log in, so the secret token in the address is the key."""
    try:
        token = query_params(CalendarFeedForm, request.GET)["token"]
    except InvalidQuery as exc:
        raise Http404("No such calendar.") from exc
    plan = selectors.plan_get_by_calendar_token(token=token)
    body = calendar_feed.plan_calendar(plan=plan, site_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="study-plan.ics"'
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe (RFC 8058): GET asks, POST acts, with only the signed token as authority."""
    try:
        user_id, kind = services.unsubscribe_read(token=token)
    except signing.BadSignature:
        return render(request, "progress/unsubscribe.html", {"invalid": True}, status=400)
    label = dict(Notification.Kind.choices)[kind]
    if request.method == "POST":
        services.unsubscribe_apply(user_id=user_id, kind=kind)
        return render(request, "progress/unsubscribe.html", {"done": True, "label": label})
    return render(request, "progress/unsubscribe.html", {"label": label, "token": token})
