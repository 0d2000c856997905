"""A nudge can be answered (its Reply-To is the mentor, who agreed to it on taking the role) and links to the group;
a student gets one nudge a day whichever mentor sends it, and every mentor of the group sees who nudged whom and when."""

import datetime as dt

import pytest
from django.urls import reverse

from common import health
from common.timezones import local_today
from groups.models import Mentorship
from notifications import tasks as notification_tasks
from notifications.models import Notification
from tests.factories import StudyGroupFactory, StudyLogFactory, UserFactory, member_of


@pytest.fixture
def group(cohort):
    return StudyGroupFactory(cohort=cohort, name="Night owls")


@pytest.fixture
def mentors(group):
    maya = UserFactory(full_name="Maya Mentor", email="maya@example.org")
    omar = UserFactory(full_name="Omar Other", email="omar@example.org")
    for user in (maya, omar):
        Mentorship.objects.create(group=group, mentor=user)
    return maya, omar


@pytest.fixture
def queue(monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(
        notification_tasks.notifications_send_chunk, "delay", lambda *args: notification_tasks.notifications_send_chunk.apply(args=args)
    )


@pytest.fixture
def sam(group):
    student = member_of(group, user__full_name="Sam Quiet", user__email="sam@example.org")
    StudyLogFactory(enrollment=student, day=local_today(time_zone=student.time_zone) - dt.timedelta(days=9))
    return student


def nudge(client, mentor, student, words, capture):
    client.force_login(mentor)
    with capture(execute=True):
        return client.post(reverse("mentor_nudge", args=[student.pk]), {"message": words}, follow=True).content.decode()


def test_a_nudge_can_be_answered_by_reply_and_links_to_the_group(client, group, mentors, sam, queue, mailoutbox, django_capture_on_commit_callbacks):
    maya, _ = mentors
    nudge(client, maya, sam, "How is lesson 4 going?", django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert message.reply_to == ["maya@example.org"]
    assert message.message()["Reply-To"] == "maya@example.org"
    group_url = f"http://127.0.0.1:8000{reverse('groups:detail', args=[group.pk])}"
    assert f"Your group: {group_url}" in message.body and f'href="{group_url}"' in message.alternatives[0][0]
    assert "Reply to this email to answer Maya Mentor" in message.body


def test_two_mentors_of_one_group_nudge_a_student_once_a_day_and_both_see_who_did(
    client, group, mentors, sam, queue, mailoutbox, django_capture_on_commit_callbacks
):
    maya, omar = mentors
    assert "Your nudge is on its way to Sam Quiet" in nudge(client, maya, sam, "How is it going?", django_capture_on_commit_callbacks)
    page = nudge(client, omar, sam, "Need a hand?", django_capture_on_commit_callbacks)
    assert "Sam Quiet already had a nudge today, from Maya Mentor" in page
    assert [m.to for m in mailoutbox] == [["sam@example.org"]]
    assert Notification.objects.filter(kind="nudge").count() == 1

    client.force_login(omar)
    history = client.get(reverse("mentor")).content.decode()
    section = history[history.index('data-testid="nudges-sent"'):]
    assert "Maya Mentor nudged Sam Quiet" in section
    client.force_login(maya)
    section = client.get(reverse("mentor")).content.decode()
    assert "you nudged Sam Quiet" in section[section.index('data-testid="nudges-sent"'):]


def test_the_mentor_page_asks_for_words_with_a_hint_and_states_the_reply_to_agreement(client, group, mentors, sam):
    maya, _ = mentors
    client.force_login(maya)
    page = client.get(reverse("mentor")).content.decode()
    assert 'placeholder="Write a few words: how is it going?' in page
    assert "How is lesson 4 going? The group meets Thursday." not in page
    assert "a nudge is sent with your email address, maya@example.org, as its Reply-To" in page
    assert f'href="{reverse("groups:detail", args=[group.pk])}"' in page


def test_the_mentor_page_runs_the_same_queries_however_many_members_and_nudges(client, group, mentors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.services.nudges import nudge_request

    maya, _ = mentors
    client.force_login(maya)
    counts = []
    for more in (2, 10):
        for _ in range(more):
            student = member_of(group)
            StudyLogFactory(enrollment=student, day=local_today(time_zone=student.time_zone) - dt.timedelta(days=9))
            nudge_request(mentor=maya, enrollment=student, message="Hello", enqueue=lambda pk: None)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("mentor")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
