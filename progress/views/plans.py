"""The study plan: making and re-planning it, moving a lesson's last day, and its calendar feed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import InvalidQuery, query_params, safe_next

from .. import calendar_feed, charts
from ..decorators import enrollment_required
from ..forms import CalendarFeedForm, ScheduleForm, ScheduleItemMoveForm
from ..selectors.numbers import status_for_enrollment
from ..selectors.plans import enrollment_get_by_calendar_token, plan_for_enrollment, schedule_item_get_for_user, schedule_page
from ..services import calendar as calendar_services
from ..services import plans as plan_services



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
    page = schedule_page(enrollment=enrollment)
    late_outcome = None
    if request.method == "POST" and request.POST.get("action") == "replan" and page.plan is not None:
        # "Re-plan from today" goes through the same form and the same cut-off warning.
        form = ScheduleForm.submitted(plan_services.replan_defaults(enrollment=enrollment), window=page.window)
    else:
        form = ScheduleForm(request.POST or None, initial=page.defaults, window=page.window)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = plan_services.schedule_build(enrollment=enrollment, **form.cleaned_data)
        except plan_services.PlanAfterCutoff as exc:
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
        "status": status_for_enrollment(enrollment=enrollment),  # the one verdict leads, as on the dashboard
        "form": form,
        "late_outcome": late_outcome,
        "timeline": timeline,
        "enrollment": enrollment,
        "calendar_url": calendar_feed.calendar_address(request=request, enrollment=enrollment),  # plan or not
    }
    return render(request, "progress/schedule.html", context)


@enrollment_required
@require_POST
def schedule_item_move(request, pk: int, *, enrollment):
    item = schedule_item_get_for_user(user=request.user, item_id=pk)
    form = ScheduleItemMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick the new last day as a date.")
        return redirect("progress:schedule")
    try:
        plan_services.schedule_item_move(item=item, ends_on=form.cleaned_data["ends_on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Lesson {item.lesson.number} now ends on {form.cleaned_data['ends_on']:%a %-d %b}.")
    return redirect("progress:schedule")


@enrollment_required
@require_POST
def calendar_token_reset(request, *, enrollment):
    """From the schedule or the profile (`next`), back to where the student asked."""
    calendar_services.calendar_token_reset(enrollment=enrollment)
    messages.success(request, "Your calendar address is new; the old one no longer works. Subscribe again with the new one.")
    return HttpResponseRedirect(safe_next(request, reverse("progress:schedule")))


@never_cache
def schedule_ics(request):
    """Public by design: calendar apps can not log in, so the secret token in the address is the key. Every
    student has a feed (the cut-off, the weekly summary, their events), with the plan's lessons once they plan."""
    try:
        token = query_params(CalendarFeedForm, request.GET)["token"]
    except InvalidQuery as exc:
        raise Http404("No such calendar.") from exc
    enrollment = enrollment_get_by_calendar_token(token=token)
    body = calendar_feed.student_calendar(
        enrollment=enrollment, plan=plan_for_enrollment(enrollment=enrollment), site_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="course-calendar.ics"'
    return response
