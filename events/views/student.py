"""Students' events: the list in their own zone, RSVP and cancel, and "I attended"."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from common.fragments import templates_version
from common.timezones import hours_display
from progress.decorators import enrollment_required
from progress.models import Enrollment

from ..forms import RsvpForm
from ..selectors import EventsPage, event_for_student, events_page, events_page_key
from ..services.events import event_attended, rsvp_set

# The key moves with everything the drawing shows (selectors.events_page_key); the time only bounds what the cache keeps.
EVENTS_CACHE_SECONDS = 600
EVENTS_TEMPLATES = ("events/_events.html", "events/_event.html")


class EventsListPage:
    """What the events page's template reads, each part on first use: a drawing the cache already holds reads
    only the key's two aggregates, not the lists."""

    cache_seconds = EVENTS_CACHE_SECONDS

    def __init__(self, *, enrollment: Enrollment, now: dt.datetime | None = None):
        self.enrollment = enrollment
        self.now = now or timezone.now()

    @cached_property
    def cache_key(self) -> str:
        return f"{events_page_key(enrollment=self.enrollment, now=self.now)}:{templates_version(*EVENTS_TEMPLATES)}"

    @cached_property
    def lists(self) -> EventsPage:
        return events_page(enrollment=self.enrollment, now=self.now)

    @property
    def upcoming(self):
        return self.lists.upcoming

    @property
    def past(self):
        return self.lists.past


@enrollment_required
def event_list(request, *, enrollment):
    return render(request, "events/list.html", {"page": EventsListPage(enrollment=enrollment), "enrollment": enrollment})


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
