"""Each kind of email honours the unsubscribe link it carries: "Stop event emails" in a cancellation stops the next
cancellation (and reminders), as the page it opens promises."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from events.services.events import event_cancel
from notifications.models import Notification
from notifications.services.events import event_emails_dispatch
from notifications.services.sending import notifications_send_chunk
from notifications.services.unsubscribe import unsubscribe_token
from tests.factories import EnrollmentFactory, EventFactory

pytestmark = pytest.mark.django_db


def send_event_emails(now=None):
    def send(kind, cohort_id, number, ids):
        notifications_send_chunk(kind=kind, cohort_id=cohort_id, number=number, ids=ids, now=now)

    return event_emails_dispatch(send=send, now=now)


def unsubscribe_link(message) -> str:
    return re.search(r"Stop event emails[^:]*: (\S+)", message.body).group(1)


def test_stop_event_emails_in_a_cancellation_stops_the_next_cancellation_and_every_reminder(client, cohort, mailoutbox):
    student = EnrollmentFactory(cohort=cohort, user__email="ada@example.org")
    first, second = EventFactory(cohort=cohort, title="First AMA"), EventFactory(cohort=cohort, title="Second AMA")
    soon = EventFactory(cohort=cohort, title="Soon AMA", starts_at=timezone.now() + dt.timedelta(days=5))
    for event in (first, second, soon):
        Rsvp.objects.create(event=event, enrollment=student)
    event_cancel(event=first)
    send_event_emails()
    assert [m.subject for m in mailoutbox] == ["Cancelled: First AMA"]

    link = unsubscribe_link(mailoutbox[0])
    path = link.removeprefix("http://127.0.0.1:8000")
    asked = client.get(path).content.decode()
    assert "event emails" in asked and "cancelled" in asked
    done = client.post(path).content.decode()
    assert "You will get no more event emails" in done

    event_cancel(event=second)
    Event.objects.filter(pk=soon.pk).update(starts_at=timezone.now() + dt.timedelta(minutes=40))  # its reminder is due
    send_event_emails()
    assert [m.subject for m in mailoutbox] == ["Cancelled: First AMA"]  # neither the second cancellation nor the reminder
    assert not Notification.objects.filter(kind__in=["event-cancelled", "event-reminder"], event__in=[second, soon]).exists()


def test_stop_event_emails_in_a_reminder_stops_cancellations_too(client, cohort, mailoutbox):
    student = EnrollmentFactory(cohort=cohort)
    event = EventFactory(cohort=cohort, starts_at=timezone.now() + dt.timedelta(minutes=40))
    later = EventFactory(cohort=cohort)
    Rsvp.objects.create(event=event, enrollment=student)
    Rsvp.objects.create(event=later, enrollment=student)
    send_event_emails()
    assert len(mailoutbox) == 1 and "In an hour" in mailoutbox[0].subject
    client.post(unsubscribe_link(mailoutbox[0]).removeprefix("http://127.0.0.1:8000"))
    event_cancel(event=later)
    send_event_emails()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("kind,field", [
    ("deadline", "wants_reminders"), ("digest", "wants_digests"), ("nudge", "wants_nudges"),
    ("event-reminder", "wants_event_reminders"), ("event-cancelled", "wants_event_reminders"),
])
def test_each_kinds_link_turns_off_the_choice_its_sending_reads_and_nothing_else(client, cohort, kind, field):
    student = EnrollmentFactory(cohort=cohort)
    client.post(reverse("unsubscribe", args=[unsubscribe_token(user_id=student.user_id, kind=kind)]))
    student.refresh_from_db()
    choices = {name: getattr(student, name) for name in ("wants_reminders", "wants_digests", "wants_nudges", "wants_event_reminders")}
    assert choices == {name: name != field for name in choices}
