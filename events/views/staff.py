"""Staff's events: the list with RSVP and attendance counts (and its CSV), create, edit, cancel."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_required
from common.forms import form_submit, query_params
from common.spreadsheets import csv_safe
from progress.selectors.cohorts import cohort_for_staff

from ..forms import CohortQuery, EventForm, StaffEventsQuery
from ..selectors import event_for_staff, events_for_staff
from ..services.events import event_cancel, event_create, event_update

CSV_FIELDS = ("title", "host", "starts_at_utc", "duration_minutes", "join_url", "recording_url", "cancelled", "going", "attended")


@staff_required
def staff_list(request):
    params = query_params(StaffEventsQuery, request.GET)
    cohort = cohort_for_staff(slug=params["cohort"] or None)
    events = events_for_staff(cohort=cohort)
    if params["format"] == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-events.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_FIELDS)
        for event in events:
            writer.writerow([
                csv_safe(event.title), csv_safe(event.host), event.starts_at.isoformat(), event.duration_minutes, event.join_url,
                event.recording_url, "yes" if event.is_cancelled else "no", event.going, event.attended,
            ])
        return response
    return render(request, "events/staff_list.html", {"cohort": cohort, "events": events})


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
    return render(request, "events/staff_form.html", {"form": form, "cohort": cohort, "event": event})


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
@require_POST
def staff_cancel(request, pk: int):
    event = event_cancel(event=event_for_staff(event_id=pk))
    messages.success(request, f"Cancelled {event.title}; those who said they would come get an email.")
    return redirect(f"{reverse('events:staff_list')}?cohort={event.cohort.slug}")
