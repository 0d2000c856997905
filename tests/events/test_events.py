"""Events: staff make them; students see them in their own zone, RSVP, find them in their calendar, get a reminder
an hour before (once), a cancellation if cancelled, and log "I attended" as community time."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Event, Rsvp
from events.services.events import event_update
from notifications.models import Notification
from notifications.services.events import event_emails_dispatch
from notifications.services.sending import notifications_send_chunk
from progress.models import StudyLog
from progress.services.plans import schedule_build
from tests.factories import EnrollmentFactory, EventFactory, StudyLogFactory, UserFactory


def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_staff_create_an_event_in_their_zone_and_a_student_sees_it_in_theirs(client, cohort):
    staff_client(client)
    day = timezone.now().date() + dt.timedelta(days=3)
    response = client.post(f"{reverse('events:staff_create')}?cohort={cohort.slug}", {
        "title": "AMA with the instructors", "host": "Jane Doe", "starts_on": day.isoformat(), "starts_time": "17:00",
        "time_zone": "America/New_York", "duration_minutes": 60, "join_url": "https://meet.example.org/x", "description": "**Bring** questions",
    })
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == dt.datetime.combine(day, dt.time(17, 0), tzinfo=ZoneInfo("America/New_York"))
    tokyo = EnrollmentFactory(cohort=cohort, time_zone="Asia/Tokyo")
    client.force_login(tokyo.user)
    page = client.get(reverse("events:list")).content.decode()
    local = event.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M} JST" in page and "<strong>Bring</strong>" in page


def test_an_rsvp_can_be_cancelled_and_a_past_or_cancelled_event_refuses_one(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    event = EventFactory(cohort=cohort)
    client.force_login(student.user)
    client.post(reverse("events:rsvp", args=[event.pk]), {"going": "1"})
    assert Rsvp.objects.get(event=event, enrollment=student).is_going
    client.post(reverse("events:rsvp", args=[event.pk]), {"going": "0"})
    assert not Rsvp.objects.get(event=event, enrollment=student).is_going
    past = EventFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(hours=2))
    page = client.post(reverse("events:rsvp", args=[past.pk]), {"going": "1"}, follow=True).content.decode()
    assert "already started" in page and not Rsvp.objects.filter(event=past).exists()


def test_another_cohorts_event_is_not_found(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    elsewhere = EventFactory()
    client.force_login(student.user)
    assert client.post(reverse("events:rsvp", args=[elsewhere.pk]), {"going": "1"}).status_code == 404


def test_the_calendar_feed_has_rsvped_events_under_a_stable_uid_and_all_by_choice(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    schedule_build(enrollment=student, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=40),
                   weekday_hours=4, weekend_hours=5, days_off=[], accept_after_cutoff=True)
    mine, other = EventFactory(cohort=cohort, title="Mine"), EventFactory(cohort=cohort, title="Other")
    Rsvp.objects.create(event=mine, enrollment=student)
    token = student.calendar_token

    def feed():
        calendar = Calendar.from_ical(client.get(reverse("progress:schedule_ics"), {"token": token}).content)
        return {str(c["summary"]): c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("event-")}

    first = feed()
    assert list(first) == ["Mine (The instructors)"]
    staff_client(client)
    client.post(reverse("events:staff_edit", args=[mine.pk]), {
        "title": "Mine", "host": "The instructors", "starts_on": (timezone.now() + dt.timedelta(days=4)).date().isoformat(),
        "starts_time": "10:00", "time_zone": "UTC", "duration_minutes": 90, "join_url": mine.join_url,
    })
    moved = feed()["Mine (The instructors)"]
    assert moved["uid"] == first["Mine (The instructors)"]["uid"] and int(moved["sequence"]) == 1
    student.calendar_all_events = True
    student.save()
    assert set(feed()) == {"Mine (The instructors)", "Other (The instructors)"} and other


def test_the_reminder_goes_once_an_hour_before_and_moving_the_event_re_arms_it(cohort, mailoutbox):
    event = EventFactory(cohort=cohort, starts_at=timezone.now() + dt.timedelta(minutes=50))
    going = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    for student in going:
        Rsvp.objects.create(event=event, enrollment=student)
    Rsvp.objects.create(event=event, enrollment=EnrollmentFactory(cohort=cohort), is_going=False)
    chunks = []
    send = lambda kind, cohort_id, number, ids: chunks.append((kind, cohort_id, number, ids))  # noqa: E731
    assert event_emails_dispatch(send=send) == 3
    assert event_emails_dispatch(send=send) == 0  # a second beat
    for chunk in chunks * 2:  # and every chunk delivered twice
        notifications_send_chunk(kind=chunk[0], cohort_id=chunk[1], number=chunk[2], ids=chunk[3])
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.user.email for s in going)
    assert "In an hour" in mailoutbox[0].subject
    event.starts_at += dt.timedelta(minutes=5)
    event.save()
    assert event_emails_dispatch(send=send) == 3  # the new start is a new occasion


def test_cancelling_tells_those_who_said_they_would_come(client, cohort, mailoutbox):
    event = EventFactory(cohort=cohort)
    student = EnrollmentFactory(cohort=cohort)
    Rsvp.objects.create(event=event, enrollment=student)
    staff_client(client).post(reverse("events:staff_cancel", args=[event.pk]))
    send = lambda kind, cohort_id, number, ids: notifications_send_chunk(kind=kind, cohort_id=cohort_id, number=number, ids=ids)  # noqa: E731
    event_emails_dispatch(send=send)
    event_emails_dispatch(send=send)
    assert [m.subject for m in mailoutbox] == [f"Cancelled: {event.title}"]
    assert Notification.objects.get(kind="event-cancelled").state == Notification.State.SENT


def test_i_attended_adds_the_length_to_that_days_community_time_once(client, cohort):
    student = EnrollmentFactory(cohort=cohort, time_zone="UTC")
    event = EventFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(hours=3), duration_minutes=90)
    client.force_login(student.user)
    page = client.post(reverse("events:attended", args=[event.pk]), follow=True).content.decode()
    assert "Added 1 h 30 min of community time" in page
    log = StudyLog.objects.get(enrollment=student)
    assert (log.minutes, log.community_minutes) == (0, 90)
    page = client.post(reverse("events:attended", args=[event.pk]), follow=True).content.decode()
    assert "already said you attended" in page
    assert StudyLog.objects.get(enrollment=student).community_minutes == 90
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert "1 h 30 min" in dashboard


def test_i_attended_keeps_the_24_hour_rule(client, cohort):
    student = EnrollmentFactory(cohort=cohort, time_zone="UTC")
    event = EventFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(hours=3), duration_minutes=90)
    StudyLogFactory(enrollment=student, day=event.starts_at.date(), minutes=23 * 60)
    client.force_login(student.user)
    page = client.post(reverse("events:attended", args=[event.pk]), follow=True).content.decode()
    assert "A day has 24 hours" in page
    assert StudyLog.objects.get(enrollment=student).community_minutes == 0


def test_attending_before_the_end_is_refused(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    event = EventFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(minutes=10))
    client.force_login(student.user)
    page = client.post(reverse("events:attended", args=[event.pk]), follow=True).content.decode()
    assert "once the event is over" in page and not StudyLog.objects.exists()


def test_the_staff_list_counts_rsvps_and_attendance_and_exports_them(client, cohort):
    event = EventFactory(cohort=cohort, title="=HYPERLINK(1)")
    for index in range(3):
        Rsvp.objects.create(event=event, enrollment=EnrollmentFactory(cohort=cohort), attended_at=timezone.now() if index == 0 else None)
    staff_client(client)
    page = client.get(reverse("events:staff_list"), {"cohort": cohort.slug}).content.decode()
    assert "<td>3</td><td>1</td>" in page
    csv_text = client.get(reverse("events:staff_list"), {"cohort": cohort.slug, "format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in csv_text and ",3,1" in csv_text


def test_the_dashboard_shows_the_next_two_events(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    for hours, title in [(5, "Soonest"), (10, "Second"), (20, "Third")]:
        EventFactory(cohort=cohort, title=title, starts_at=timezone.now() + dt.timedelta(hours=hours))
    client.force_login(student.user)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "Soonest" in page and "Second" in page and "Third" not in page


@pytest.mark.parametrize("field,value", [("starts_on", "9999-12-31"), ("duration_minutes", "100000"), ("join_url", "javascript:alert(1)"), ("title", "a\x00b")])
def test_bad_event_input_is_a_form_error(client, cohort, field, value):
    staff_client(client)
    data = {"title": "T", "host": "H", "starts_on": "2027-01-05", "starts_time": "10:00", "time_zone": "UTC", "duration_minutes": 60,
            "join_url": "https://x.example.org"}
    response = client.post(f"{reverse('events:staff_create')}?cohort={cohort.slug}", {**data, field: value})
    assert response.status_code == 200 and not Event.objects.exists()


def test_an_rsvp_that_says_neither_changes_nothing(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    event = EventFactory(cohort=cohort)
    client.force_login(student.user)
    page = client.post(reverse("events:rsvp", args=[event.pk]), {"going": "maybe"}, follow=True).content.decode()
    assert "Say whether you will come" in page and not Rsvp.objects.exists()


def _card(page: str, event) -> str:
    start = page.index(f'id="event-{event.pk}"')
    return page[start:page.index("</article>", start)]


@pytest.mark.parametrize("events", [3, 30])
def test_the_events_page_runs_the_same_queries_however_many_events(client, cohort, events, django_assert_num_queries):
    student = EnrollmentFactory(cohort=cohort)
    for hours in range(events):
        EventFactory(cohort=cohort, starts_at=timezone.now() + dt.timedelta(hours=hours - events // 2, minutes=30))
    client.force_login(student.user)
    url = reverse("events:list")
    client.get(url)  # warm the per-process caches (content types)
    with django_assert_num_queries(7):  # session, user, enrollment, the menu's "do they mentor", the header's running timer, the upcoming and the past events
        page = client.get(url).content.decode()
    assert page.count("<article") == events


def test_the_events_page_shows_every_change_at_once(client, cohort):
    student, classmate = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    event = EventFactory(cohort=cohort, title="First title")
    url = reverse("events:list")
    client.force_login(student.user)
    assert "I'll be there" in _card(client.get(url).content.decode(), event)

    client.post(reverse("events:rsvp", args=[event.pk]), {"going": "1"})
    assert "you're going" in _card(client.get(url).content.decode(), event)
    client.force_login(classmate.user)  # another student's page shows their own RSVPs
    assert "you're going" not in _card(client.get(url).content.decode(), event)
    client.force_login(student.user)
    client.post(reverse("events:rsvp", args=[event.pk]), {"going": "0"})
    assert "you're going" not in _card(client.get(url).content.decode(), event)

    Event.objects.filter(pk=event.pk).update(title="Second title")  # even an edit that bypasses the services
    assert "Second title" in _card(client.get(url).content.decode(), event)
    event_update(event=event, title="Third title")
    assert "Third title" in _card(client.get(url).content.decode(), event)
    student.time_zone = "Asia/Tokyo"
    student.save(update_fields=["time_zone"])
    assert f"{event.starts_at.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M} JST" in _card(client.get(url).content.decode(), event)

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))  # its start alone moves it
    page = client.get(url).content.decode()
    assert page.index('id="past-heading"') < page.index(f'id="event-{event.pk}"') and "I attended" in _card(page, event)
    client.post(reverse("events:attended", args=[event.pk]))
    assert "You attended" in _card(client.get(url).content.decode(), event)


def test_each_cards_buttons_post_through_its_own_form_with_its_csrf_token(cohort):
    from django.test import Client

    student = EnrollmentFactory(cohort=cohort)
    upcoming = EventFactory(cohort=cohort)
    past = EventFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(hours=3))
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user)
    page = client.get(reverse("events:list")).content.decode()
    form = re.compile(r'<form method="post" action="([^"]+)"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')
    rsvp, attended = form.search(_card(page, upcoming)), form.search(_card(page, past))
    assert rsvp and rsvp.group(1) == reverse("events:rsvp", args=[upcoming.pk])
    assert attended and attended.group(1) == reverse("events:attended", args=[past.pk])
    assert '<button type="submit" name="going" value="1"' in _card(page, upcoming)
    assert client.post(rsvp.group(1), {"going": "1"}).status_code == 403  # without the token
    assert client.post(rsvp.group(1), {"going": "1", "csrfmiddlewaretoken": rsvp.group(2)}).status_code == 302
    assert Rsvp.objects.get(event=upcoming, enrollment=student).is_going
    assert client.post(attended.group(1), {"csrfmiddlewaretoken": attended.group(2)}).status_code == 302
    assert Rsvp.objects.get(event=past, enrollment=student).attended_at is not None
