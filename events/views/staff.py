"""Staff's events: the list with RSVP and attendance counts (and its CSV), create, edit, cancel.

Staff pages show times in the programme's zone (the cohort's), labelled, as students of the programme are told
them; each student's own pages show their own zone."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import staff_required
from common.forms import form_submit, query_params
from common.spreadsheets import csv_safe
from progress.selectors.cohorts import cohort_for_staff

from ..forms import CohortQuery, EventForm, StaffEventsQuery
from ..selectors import event_cancel_audience, event_for_staff, events_for_staff, events_for_staff_page
from ..services.events import event_cancel, event_create, event_update

CSV_FIELDS = ("title", "host", "starts_at_utc", "duration_minutes", "join_url", "recording_url", "cancelled", "going", "attended")


@staff_required
def staff_list(request):
    params = query_params(StaffEventsQuery, request.GET)
    cohort = cohort_for_staff(slug=params["cohort"] or None)
    if params["format"] == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-events.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_FIELDS)
        for event in events_for_staff(cohort=cohort):
            writer.writerow([
                csv_safe(event.title), csv_safe(event.host), event.starts_at.isoformat(), event.duration_minutes, event.join_url,
                event.recording_url, "yes" if event.is_cancelled else "no", event.going, event.attended,
            ])
        return response
    with timezone.override(cohort.time_zone):
        return render(request, "events/staff_list.html", {"cohort": cohort, "events": events_for_staff_page(cohort=cohort)})


def _event_form_page(request, *, cohort, event=None):
    form = EventForm(request.POST if request.method == "POST" else None, instance=event, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        if event is None:
            ok, saved = form_submit(form, event_create, cohort=cohort, created_by=request.user)
        else:
            ok, saved = form_submit(form, event_update, event=event)
        if ok:
            messages.success(request, f"Saved {saved.title}.")
            return redirect(f"{reverse('events:staff_list')}?cohort={cohort.slug}")
    with timezone.override(cohort.time_zone):
        return render(
            request, "events/staff_form.html",
            {"form": form, "cohort": cohort, "event": event, "has_started": event is not None and event.starts_at <= timezone.now()},
        )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_create(request):
    cohort = cohort_for_staff(slug=query_params(CohortQuery, request.GET)["cohort"] or None)
    return _event_form_page(request, cohort=cohort)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk: int):
    event = event_for_staff(event_id=pk)
    return _event_form_page(request, cohort=event.cohort, event=event)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_cancel(request, pk: int):
    """GET asks, naming who will be emailed; POST cancels."""
    event = event_for_staff(event_id=pk)
    back = f"{reverse('events:staff_list')}?cohort={event.cohort.slug}"
    if request.method == "POST":
        try:
            event = event_cancel(event=event)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Cancelled {event.title}; those who said they would come get an email.")
        return redirect(back)
    context = {
        "event": event, "cohort": event.cohort, "audience": event_cancel_audience(event=event), "back": back,
        "has_started": event.starts_at <= timezone.now(),
    }
    with timezone.override(event.cohort.time_zone):
        return render(request, "events/staff_cancel.html", context)
