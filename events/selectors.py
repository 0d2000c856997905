"""Reading events: a student's list with their RSVPs, the dashboard's next two, staff's list with counts, the
calendar feed's, and an event for a student or for staff."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from progress.models import Cohort, Enrollment

from .models import Event, Rsvp

PAST_SHOWN = 20


@dataclass(frozen=True)
class EventsPage:
    upcoming: list[Event]  # each with .going and .attended for this student
    past: list[Event]


def _with_rsvp(events: QuerySet[Event], enrollment: Enrollment, *, attended: bool = True) -> QuerySet[Event]:
    """Each event with `.going` for this student, and `.attended` unless not asked for."""
    mine = Rsvp.objects.filter(event=OuterRef("pk"), enrollment=enrollment)
    flags = {"going": Exists(mine.filter(is_going=True))}
    if attended:
        flags["attended"] = Exists(mine.filter(attended_at__isnull=False))
    return events.annotate(**flags)


def events_page(*, enrollment: Enrollment, now: dt.datetime | None = None) -> EventsPage:
    """Upcoming (soonest first, cancelled ones shown as such) and the latest past events, in two queries."""
    now = now or timezone.now()
    events = _with_rsvp(Event.objects.filter(cohort_id=enrollment.cohort_id), enrollment)
    return EventsPage(
        upcoming=list(events.filter(starts_at__gt=now).order_by("starts_at", "pk")),
        past=list(events.filter(starts_at__lte=now).order_by("-starts_at", "-pk")[:PAST_SHOWN]),
    )


def events_page_key(*, enrollment: Enrollment, now: dt.datetime) -> str:
    """Names one drawing of the student's events page, in two small aggregate queries. It moves with any edit of the
    cohort's events (a new, changed or deleted one), with each start (an event moves from upcoming to past), with
    any change to the student's RSVPs, and with the student's zone (every time is shown in it)."""
    events = Event.objects.filter(cohort_id=enrollment.cohort_id).aggregate(
        count=Count("pk"), changed=Max("updated_at"), started=Count("pk", filter=Q(starts_at__lte=now))
    )
    mine = Rsvp.objects.filter(enrollment=enrollment).aggregate(count=Count("pk"), changed=Max("updated_at"))
    seen = f"{events['count']}|{events['changed']}|{events['started']}|{mine['count']}|{mine['changed']}|{enrollment.time_zone}"
    return f"{enrollment.pk}:{hashlib.sha256(seen.encode()).hexdigest()[:24]}"


def events_next(*, enrollment: Enrollment, count: int = 2, now: dt.datetime | None = None) -> list[Event]:
    """The dashboard's next events: what its card shows of them, each with `.going` for this student."""
    now = now or timezone.now()
    events = Event.objects.filter(cohort_id=enrollment.cohort_id, starts_at__gt=now, cancelled_at__isnull=True)
    events = events.only("pk", "title", "starts_at")  # what the card shows
    return list(_with_rsvp(events, enrollment, attended=False).order_by("starts_at", "pk")[:count])


def event_for_student(*, enrollment: Enrollment, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id, cohort_id=enrollment.cohort_id).first()
    if event is None:
        raise Http404("No such event.")
    return event


def events_for_calendar(*, enrollment: Enrollment) -> list[Event]:
    """The student's events for their feed: those they said they will come to, or all of the cohort's by choice."""
    events = Event.objects.filter(cohort_id=enrollment.cohort_id)
    if not enrollment.calendar_all_events:
        events = events.filter(rsvps__enrollment=enrollment, rsvps__is_going=True)
    return list(events.order_by("starts_at", "pk"))


def events_for_staff(*, cohort: Cohort) -> QuerySet[Event]:
    """Every event of the cohort with its RSVP and attendance counts (one query)."""
    return Event.objects.filter(cohort=cohort).annotate(
        going=Count("rsvps", filter=Q(rsvps__is_going=True)), attended=Count("rsvps", filter=Q(rsvps__attended_at__isnull=False))
    ).order_by("-starts_at", "-pk")


def event_for_staff(*, event_id: int) -> Event:
    event = Event.objects.select_related("cohort").filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event
