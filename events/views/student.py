"""Students' events: the list in their own zone, RSVP and cancel, and "I attended"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.timezones import hours_display
from progress.decorators import enrollment_required

from ..forms import RsvpForm
from ..selectors import event_for_student, events_for_student
from ..services.events import event_attended, rsvp_set


@enrollment_required
def event_list(request, *, enrollment):
    events = events_for_student(enrollment=enrollment)
    return render(request, "events/list.html", {"upcoming": events.upcoming, "past": events.past, "enrollment": enrollment})


@enrollment_required
@require_POST
def rsvp(request, pk: int, *, enrollment):
    event = event_for_student(enrollment=enrollment, event_id=pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether you will come: the form sent neither.")
        return redirect(event)
    going = form.cleaned_data["going"] == "1"
    try:
        rsvp_set(event=event, enrollment=enrollment, going=going)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"See you at {event.title}." if going else f"You will not be at {event.title}; we took you off the list.")
    return redirect(event)


@enrollment_required
@require_POST
def attended(request, pk: int, *, enrollment):
    event = event_for_student(enrollment=enrollment, event_id=pk)
    try:
        event_attended(event=event, enrollment=enrollment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Added {hours_display(event.duration_minutes)} of community time for {event.title}.")
    return redirect(event)
