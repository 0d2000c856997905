"""Every email gives its times in its reader's zone, labelled: a student in Anchorage reads Alaska time, never UTC."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from events.models import Rsvp
from events.services.events import event_cancel
from notifications.services.events import event_emails_dispatch
from notifications.services.sending import notifications_send_chunk
from progress.models import Cohort
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def send_event_emails(now):
    def send(kind, cohort_id, number, ids):
        notifications_send_chunk(kind=kind, cohort_id=cohort_id, number=number, ids=ids, now=now)

    event_emails_dispatch(send=send, now=now)


def test_event_reminder_and_cancellation_give_the_time_in_the_students_zone(cohort, mailoutbox):
    # 07:59 UTC on 16 December is 22:59 the evening before in Anchorage (AKST, UTC-9).
    starts = dt.datetime(2030, 12, 16, 7, 59, tzinfo=UTC)
    event = EventFactory(cohort=cohort, title="Late AMA", starts_at=starts)
    later = EventFactory(cohort=cohort, title="Later AMA", starts_at=starts + dt.timedelta(days=1))
    alaska = EnrollmentFactory(cohort=cohort, time_zone="America/Anchorage", user__email="alaska@example.org")
    india = EnrollmentFactory(cohort=cohort, time_zone="Asia/Kolkata", user__email="india@example.org")
    for student in (alaska, india):
        Rsvp.objects.create(event=event, enrollment=student)
        Rsvp.objects.create(event=later, enrollment=student)
    send_event_emails(now=starts - dt.timedelta(minutes=50))
    reminders = {m.to[0]: m for m in mailoutbox}
    assert "Sunday 15 December, 22:59 AKST your time" in reminders["alaska@example.org"].body
    assert "Monday 16 December, 13:29 IST your time" in reminders["india@example.org"].body
    assert "22:59 AKST" in reminders["alaska@example.org"].alternatives[0][0]
    assert all("UTC" not in m.body for m in mailoutbox)

    mailoutbox.clear()
    event_cancel(event=later, now=starts - dt.timedelta(minutes=40))
    send_event_emails(now=starts - dt.timedelta(minutes=35))
    cancelled = {m.to[0]: m for m in mailoutbox}
    assert "planned for Monday 16 December, 22:59 AKST your time, is cancelled" in cancelled["alaska@example.org"].body
    assert "Tuesday 17 December, 13:29 IST" in cancelled["india@example.org"].body


def test_the_set_password_email_names_the_cut_off_in_the_programmes_zone_not_utc():
    cohort = CohortFactory(cutoff_at=Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles"))
    context = {"user": EnrollmentFactory(cohort=cohort).user, "cohort": cohort, "link": "http://x/", "site_url": "http://x"}
    with timezone.override("UTC"):  # as a worker renders it
        text = render_to_string("email/enrolled_set_password.txt", context)
        html = render_to_string("email/enrolled_set_password.html", context)
    assert "(Thursday 9 January 2031, 23:59 PST)" in text and "23:59 PST" in html
