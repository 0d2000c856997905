"""Staff's events and students' RSVPs and attendance.

Reminders and cancellations are emails, sent by notifications (above this app): its beat finds events starting
within the hour and events cancelled, and the ledger sends each once. Moving an event changes its reminder's
occasion (the start is in it), which re-arms the reminder.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.forms import nul_characters_check, single_line
from common.timezones import local_today
from progress.models import Cohort, Enrollment
from progress.services.study_logs import community_time_add

from ..models import Event, Rsvp

EDITABLE = ("title", "host", "starts_at", "duration_minutes", "join_url", "description", "recording_url")


def _check(event: Event) -> None:
    nul_characters_check(title=event.title, host=event.host, description=event.description)
    # The title and host are one line on every page and in the reminders' subjects: a line break typed or pasted
    # into them would stop the mail library from sending those emails at all.
    event.title, event.host = single_line(event.title), single_line(event.host)
    event.full_clean(exclude=["cohort", "created_by"])


@transaction.atomic
def event_create(*, cohort: Cohort, created_by, **fields) -> Event:
    """A new event from the EDITABLE fields in `fields` (others, such as a form's wall-clock parts, are ignored)."""
    event = Event(cohort=cohort, created_by=created_by, **{name: fields[name] for name in EDITABLE if name in fields})
    _check(event)
    event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, **fields) -> Event:
    """Change an event; its calendar entry is updated in place (same UID, the next SEQUENCE)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name in EDITABLE:
        if name in fields:
            setattr(event, name, fields[name])
    _check(event)
    event.sequence += 1
    event.save()
    return event


@transaction.atomic
def event_cancel(*, event: Event, now: dt.datetime | None = None) -> Event:
    """Cancel an event: it stays listed as cancelled, calendars show it cancelled, and those who said they would
    come get one email saying so (notifications' beat). An event that has started can not be cancelled: it took place."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.cancelled_at is None:
        if event.starts_at <= now:
            raise ValidationError("That event has already started: there is nothing left to cancel.")
        event.cancelled_at = now
        event.sequence += 1
        event.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    return event


@transaction.atomic
def rsvp_set(*, event: Event, enrollment: Enrollment, going: bool, now: dt.datetime | None = None) -> Rsvp | None:
    """Say you will come, or that you will not after all; only for an upcoming event of your cohort."""
    now = now or timezone.now()
    if event.cohort_id != enrollment.cohort_id:
        raise ValidationError("That event is for another cohort.")
    if going and (event.is_cancelled or event.starts_at <= now):
        raise ValidationError("That event has been cancelled." if event.is_cancelled else "That event has already started.")
    if not going:
        Rsvp.objects.filter(event=event, enrollment=enrollment).update(is_going=False, updated_at=now)
        return None
    rsvp, _ = Rsvp.objects.update_or_create(event=event, enrollment=enrollment, defaults={"is_going": True})
    return rsvp


@transaction.atomic
def event_attended(*, event: Event, enrollment: Enrollment, now: dt.datetime | None = None) -> Rsvp:
    """"I attended": once, after the event ends; its length goes onto that day's community time (the student's
    day the event started on), through the study-log service and its rules (the course window, 24 hours a day)."""
    now = now or timezone.now()
    if event.cohort_id != enrollment.cohort_id:
        raise ValidationError("That event is for another cohort.")
    if event.is_cancelled:
        raise ValidationError("That event was cancelled.")
    if event.ends_at > now:
        raise ValidationError("You can say you attended once the event is over.")
    rsvp, _ = Rsvp.objects.select_for_update().get_or_create(event=event, enrollment=enrollment, defaults={"is_going": False})
    if rsvp.attended_at is not None:
        raise ValidationError("You already said you attended: its time is on that day's community time.")
    community_time_add(
        enrollment=enrollment, day=local_today(time_zone=enrollment.time_zone, now=event.starts_at),
        minutes=event.duration_minutes, now=now,
    )
    rsvp.attended_at = now
    rsvp.save(update_fields=["attended_at", "updated_at"])
    return rsvp
