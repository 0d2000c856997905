"""Reading events: a student's list with their RSVPs, the dashboard's next two, staff's list with counts, the
calendar feed's, and an event for a student or for staff."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from progress.models import Cohort, Enrollment

from .models import Event, Rsvp

PAST_SHOWN = 20


@dataclass(frozen=True)
class StudentEvents:
    upcoming: list[Event]  # each with .going and .attended for this student
    past: list[Event]


def _with_rsvp(events: QuerySet[Event], enrollment: Enrollment, *, attended: bool = True) -> QuerySet[Event]:
    """Each event with `.going` for this student, and `.attended` unless not asked for."""
    mine = Rsvp.objects.filter(event=OuterRef("pk"), enrollment=enrollment)
    flags = {"going": Exists(mine.filter(is_going=True))}
    if attended:
        flags["attended"] = Exists(mine.filter(attended_at__isnull=False))
    return events.annotate(**flags)


def events_for_student(*, enrollment: Enrollment, now: dt.datetime | None = None) -> StudentEvents:
    """Upcoming (soonest first, cancelled ones shown as such) and the latest past events, in two queries."""
    now = now or timezone.now()
    events = _with_rsvp(Event.objects.filter(cohort_id=enrollment.cohort_id), enrollment)
    return StudentEvents(
        upcoming=list(events.filter(starts_at__gt=now).order_by("starts_at", "pk")),
        past=list(events.filter(starts_at__lte=now).order_by("-starts_at", "-pk")[:PAST_SHOWN]),
    )


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


@dataclass(frozen=True)
class StaffEvents:
    upcoming: list[Event]  # soonest first; each with .going and .attended counts
    past: list[Event]  # started already, latest first


def events_for_staff_page(*, cohort: Cohort, now: dt.datetime | None = None) -> StaffEvents:
    """The staff list split at `now`: an event that has started is past (it can no longer be cancelled). One query."""
    now = now or timezone.now()
    events = list(events_for_staff(cohort=cohort))
    return StaffEvents(
        upcoming=sorted((e for e in events if e.starts_at > now), key=lambda e: (e.starts_at, e.pk)),
        past=[e for e in events if e.starts_at <= now],
    )


def event_email_audience(*, event_id: int) -> QuerySet[Rsvp]:
    """Who gets an event's emails, its reminder and its cancellation alike: the students who said they will come,
    whose account is active and who have not turned event emails off (on their profile, or by an email's link)."""
    return Rsvp.objects.filter(
        event_id=event_id, is_going=True, enrollment__user__is_active=True, enrollment__wants_event_reminders=True
    )


@dataclass(frozen=True)
class CancelAudience:
    going: int  # said they will come
    emailed: int  # of them, those whom the cancellation email reaches


def event_cancel_audience(*, event: Event) -> CancelAudience:
    """What the cancel confirmation tells staff: how many said they would come, and how many will be emailed."""
    counts = Rsvp.objects.filter(event=event, is_going=True).aggregate(
        going=Count("pk"), emailed=Count("pk", filter=Q(pk__in=event_email_audience(event_id=event.pk).values("pk")))
    )
    return CancelAudience(going=counts["going"], emailed=counts["emailed"])


def events_going_soon(*, enrollment_ids: list[int], starts_after: dt.datetime, starts_before: dt.datetime) -> dict[int, list[Event]]:
    """For each student, the events (not cancelled) they said they will come to that start in the window, soonest
    first: the weekly digest's "coming up". One query for a whole chunk of students."""
    rsvps = (
        Rsvp.objects.filter(
            enrollment_id__in=enrollment_ids, is_going=True, event__cancelled_at__isnull=True,
            event__starts_at__gt=starts_after, event__starts_at__lte=starts_before,
        )
        .select_related("event")
        .order_by("event__starts_at", "event_id")
    )
    going: dict[int, list[Event]] = {}
    for rsvp in rsvps:
        going.setdefault(rsvp.enrollment_id, []).append(rsvp.event)
    return going


def event_for_staff(*, event_id: int) -> Event:
    event = Event.objects.select_related("cohort").filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event
