"""A line break in an event's title or a person's name is not stored, and one stored before still lets every email
go out (its subject is rendered on one line): no chunk fails for everyone over one title."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from events.models import Event, Rsvp
from events.services.events import event_create, event_update
from groups.models import Mentorship
from notifications.services.events import event_emails_dispatch
from notifications.services.nudges import nudge_request
from notifications.services.sending import notifications_send_chunk
from progress.services.enrollments import enrollment_preferences_update
from tests.factories import EnrollmentFactory, EventFactory, StudyGroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db
HOSTILE = "AMA\r\nBcc: everyone@example.org\u2028with\x0bJane"


def test_single_line_keeps_the_words_and_drops_every_kind_of_line_break():
    from common.forms import single_line

    assert single_line(HOSTILE) == "AMA Bcc: everyone@example.org with Jane"
    assert single_line("  Ada \n\n Lovelace ") == "Ada Lovelace"
    assert single_line(None) == ""


def test_staff_form_and_service_store_titles_and_hosts_on_one_line(client, cohort):
    client.force_login(UserFactory(is_staff=True))
    day = (timezone.now() + dt.timedelta(days=3)).date().isoformat()
    response = client.post(f"{reverse('events:staff_create')}?cohort={cohort.slug}", {
        "title": HOSTILE, "host": "Jane\nDoe", "starts_on": day, "starts_time": "17:00", "time_zone": "UTC",
        "duration_minutes": 60, "join_url": "https://meet.example.org/x",
    })
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.title, event.host) == ("AMA Bcc: everyone@example.org with Jane", "Jane Doe")
    event = event_update(event=event, title="Moved\r\nAMA", host="Jane\rDoe")
    assert (event.title, event.host) == ("Moved AMA", "Jane Doe")
    made = event_create(cohort=cohort, created_by=None, title="A\nB", host="C\r\nD", starts_at=timezone.now() + dt.timedelta(days=1),
                        duration_minutes=30, join_url="https://x.example.org")
    assert (made.title, made.host) == ("A B", "C D")
    with pytest.raises(ValidationError):
        event_create(cohort=cohort, created_by=None, title="\r\n", host="H", starts_at=timezone.now() + dt.timedelta(days=1),
                     duration_minutes=30, join_url="https://x.example.org")


def test_names_are_stored_on_one_line_at_sign_up_and_on_the_profile(client, cohort):
    cohort.accepts_signups = True
    cohort.save()
    response = client.post(reverse("accounts:signup"), {
        "full_name": "Ada\r\nLovelace", "email": "ada@example.org", "password1": "analytical-engine-1843",
        "password2": "analytical-engine-1843", "time_zone": "Europe/London",
    })
    assert response.status_code == 302
    assert User.objects.get(email="ada@example.org").full_name == "Ada Lovelace"
    student = EnrollmentFactory(cohort=cohort)
    enrollment_preferences_update(
        enrollment=student, full_name="Grace\nHopper\r", time_zone="UTC", weekday_goal_hours=2, weekend_goal_hours=3,
        wants_reminders=True, wants_digests=True,
    )
    student.user.refresh_from_db()
    assert student.user.full_name == "Grace Hopper"


def test_a_title_stored_with_a_line_break_before_still_gets_every_reminder_out(cohort, mailoutbox):
    event = EventFactory(cohort=cohort, starts_at=timezone.now() + dt.timedelta(minutes=45))
    Event.objects.filter(pk=event.pk).update(title=HOSTILE)  # as stored before titles were kept to one line
    students = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    for student in students:
        Rsvp.objects.create(event=event, enrollment=student)

    def send(kind, cohort_id, number, ids):
        notifications_send_chunk(kind=kind, cohort_id=cohort_id, number=number, ids=ids)

    event_emails_dispatch(send=send)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.user.email for s in students)
    assert {m.subject for m in mailoutbox} == {"In an hour: AMA Bcc: everyone@example.org with Jane"}
    assert all(m.message()["Bcc"] is None for m in mailoutbox)


def test_a_mentor_whose_name_was_stored_with_a_line_break_still_nudges(cohort, mailoutbox, django_capture_on_commit_callbacks):
    mentor = UserFactory()
    User.objects.filter(pk=mentor.pk).update(full_name="Maya\r\nMentor")
    mentor.refresh_from_db()
    group = StudyGroupFactory(cohort=cohort)
    Mentorship.objects.create(group=group, mentor=mentor)
    student = member_of(group)
    ids = []
    with django_capture_on_commit_callbacks(execute=True):
        nudge_request(mentor=mentor, enrollment=student, message="How is it going?", enqueue=ids.append)
    assert notifications_send_chunk(kind="nudge", cohort_id=cohort.pk, number=0, ids=ids) == 1
    assert mailoutbox[0].subject == "Maya Mentor, your study group mentor, sent you a nudge"
