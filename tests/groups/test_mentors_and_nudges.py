"""Mentors: their at-risk members, and nudges sent exactly once a day, never showing the student's email."""

import datetime as dt

import pytest
from django.urls import reverse

from common import health
from common.timezones import local_today
from groups.models import Mentorship
from notifications import tasks as notification_tasks
from notifications.models import Notification
from notifications.services.unsubscribe import unsubscribe_token
from tests.factories import StudyGroupFactory, StudyLogFactory, UserFactory, member_of


@pytest.fixture
def mentor(cohort):
    user = UserFactory(full_name="Maya Mentor")
    group = StudyGroupFactory(cohort=cohort, name="Mine")
    Mentorship.objects.create(group=group, mentor=user)
    user.group = group
    return user


@pytest.fixture
def queue(monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(
        notification_tasks.notifications_send_chunk, "delay", lambda *args: notification_tasks.notifications_send_chunk.apply(args=args)
    )


def idle(group, days: int, **kwargs):
    student = member_of(group, **kwargs)
    StudyLogFactory(enrollment=student, day=local_today(time_zone=student.time_zone) - dt.timedelta(days=days))
    return student


def test_the_mentor_sees_their_groups_at_risk_members_longest_idle_first_without_emails(client, cohort, mentor):
    recent = idle(mentor.group, 6, user__full_name="Six Days", user__email="six@example.org")
    oldest = idle(mentor.group, 12, user__full_name="Twelve Days", user__email="twelve@example.org")
    idle(StudyGroupFactory(cohort=cohort), 12, user__full_name="Not Yours")
    client.force_login(mentor)
    page = client.get(reverse("mentor")).content.decode()
    assert page.index("Twelve Days") < page.index("Six Days")
    assert "Not Yours" not in page
    assert "12 days" in page  # the reason, worded with its number
    assert "six@example.org" not in page and "twelve@example.org" not in page
    assert recent and oldest


def test_a_nudge_goes_once_a_day_with_the_mentors_words_and_an_unsubscribe_link(client, cohort, mentor, queue, mailoutbox, django_capture_on_commit_callbacks):
    student = idle(mentor.group, 9, user__email="quiet@example.org")
    client.force_login(mentor)
    url = reverse("mentor_nudge", args=[student.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"message": "Lesson 4 is hard for all of us. Call on Thursday?"}, follow=True).content.decode()
    assert "Your nudge is on its way" in page
    assert "quiet@example.org" not in page
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"message": "Again!"}, follow=True).content.decode()
    assert "You already nudged" in page
    assert [m.to for m in mailoutbox] == [["quiet@example.org"]]
    message = mailoutbox[0]
    assert "Lesson 4 is hard for all of us" in message.body and "Maya Mentor" in message.subject
    assert "List-Unsubscribe" in message.extra_headers
    assert Notification.objects.get(kind=Notification.Kind.NUDGE).state == Notification.State.SENT


def test_a_nudge_task_delivered_twice_sends_one_email(cohort, mentor, mailoutbox, django_capture_on_commit_callbacks):
    from notifications.services.nudges import nudge_request
    from notifications.services.sending import notifications_send_chunk

    student = idle(mentor.group, 9)
    ids = []
    with django_capture_on_commit_callbacks(execute=True):
        assert nudge_request(mentor=mentor, enrollment=student, message="Hi", enqueue=ids.append)
    assert notifications_send_chunk(kind="nudge", cohort_id=cohort.pk, number=0, ids=ids) == 1
    assert notifications_send_chunk(kind="nudge", cohort_id=cohort.pk, number=0, ids=ids) == 0
    assert len(mailoutbox) == 1


def test_a_mentor_can_not_nudge_or_see_someone_outside_their_groups(client, cohort, mentor, queue, mailoutbox):
    stranger = idle(StudyGroupFactory(cohort=cohort), 9)
    client.force_login(mentor)
    assert client.post(reverse("mentor_nudge", args=[stranger.pk]), {"message": "hi"}).status_code == 404
    assert client.get(reverse("groups:detail", args=[stranger.group_membership.group_id])).status_code == 404
    assert mailoutbox == []


def test_unsubscribing_from_nudges_stops_them(client, cohort, mentor, queue, mailoutbox):
    student = idle(mentor.group, 9)
    client.post(reverse("unsubscribe", args=[unsubscribe_token(user_id=student.user_id, kind="nudge")]))
    student.refresh_from_db()
    assert not student.wants_nudges
    client.force_login(mentor)
    page = client.post(reverse("mentor_nudge", args=[student.pk]), {"message": "hi"}, follow=True).content.decode()
    assert "turned off emails from mentors" in page
    assert mailoutbox == []


def test_an_empty_or_hostile_nudge_is_refused_and_nothing_is_recorded(client, cohort, mentor, queue):
    student = idle(mentor.group, 9)
    client.force_login(mentor)
    for message in ["", "   ", "a\x00b", "x" * 501]:
        client.post(reverse("mentor_nudge", args=[student.pk]), {"message": message})
    assert not Notification.objects.exists()
