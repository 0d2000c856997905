"""A second `/study` on the same lesson and day adds its time to that day's log: the study time before it, the
community time an event attended put there, and the notes all stay. The web form never drops community time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from common.timezones import local_today
from integrations.models import SlackLink
from lessons.models import Lesson
from progress.models import StudyLog
from tests.factories import EnrollmentFactory, EventFactory, StudyLogFactory
from tests.integrations.slack import command

USER = "U2147483697"


def _zone_past_three_in_the_morning() -> str:
    """A zone whose clock reads 03:00 or later, so an event that began two hours ago began today there."""
    now = timezone.now()
    return next(zone for zone in ("UTC", "Asia/Tokyo", "America/New_York") if now.astimezone(ZoneInfo(zone)).hour >= 3)


@pytest.fixture
def student(db, cohort):
    student = EnrollmentFactory(cohort=cohort, time_zone=_zone_past_three_in_the_morning())
    SlackLink.objects.create(enrollment=student, team_id="T0001", slack_user_id=USER)
    return student


def test_a_second_study_command_adds_and_keeps_the_community_time_and_both_notes(client, student):
    assert command(client, "1h30 L5 convolutions at last").startswith("Saved 1 h 30 min on Lesson 5")
    event = EventFactory(cohort=student.cohort, starts_at=timezone.now() - dt.timedelta(hours=2), duration_minutes=60)
    client.force_login(student.user)
    assert "Added 1 h of community time" in client.post(reverse("events:attended", args=[event.pk]), follow=True).content.decode()
    client.logout()

    answer = command(client, "30m L5 pooling layers")

    lesson = Lesson.objects.get(number=5)
    today = local_today(time_zone=student.time_zone)
    assert answer == f"Added 30 min to {lesson} for {today:%a %-d %b}: 2 h on it that day now, and 1 h of community time."
    log = StudyLog.objects.get(enrollment=student)
    assert (log.minutes, log.community_minutes) == (120, 60)
    assert log.notes == "convolutions at last\n\npooling layers"
    assert "2 h" in command(client, "today") and "(+1 h community)" in command(client, "today")
    client.force_login(student.user)
    listed = client.get(reverse("progress:log_list")).content.decode()
    assert "2 h</strong> studied · 1 h community time" in listed
    assert "convolutions at last" in listed and "pooling layers" in listed


def test_adding_keeps_the_24_hour_rule_across_the_days_logs(client, student):
    command(client, "20h L2")
    command(client, "3h L5")
    answer = command(client, "1h30 L5")
    assert "A day has 24 hours" in answer
    assert StudyLog.objects.get(enrollment=student, lesson__number=5).minutes == 180
    assert command(client, "1h L5").startswith("Added 1 h to Lesson 5")


def test_added_notes_that_would_pass_the_limit_are_refused_and_nothing_changes(client, student):
    StudyLogFactory(enrollment=student, lesson=Lesson.objects.get(number=5), day=local_today(time_zone=student.time_zone),
                    minutes=60, notes="x" * 9_990)
    assert "would pass 10,000 characters" in command(client, "30m L5 a note long enough to pass")
    log = StudyLog.objects.get(enrollment=student)
    assert (log.minutes, len(log.notes)) == (60, 9_990)


def test_a_web_form_sent_again_for_a_logged_lesson_keeps_the_days_community_time(client, student):
    today = local_today(time_zone=student.time_zone)
    lesson = Lesson.objects.get(number=5)
    StudyLogFactory(enrollment=student, lesson=lesson, day=today, minutes=90, community_minutes=60)
    client.force_login(student.user)
    client.post(reverse("progress:log_create"),
                {"day": today.isoformat(), "lesson": lesson.pk, "minutes": "2h", "community_minutes": "", "notes": "again"})
    log = StudyLog.objects.get(enrollment=student)
    assert (log.minutes, log.community_minutes) == (120, 60)


def test_editing_a_log_on_the_web_without_the_community_field_keeps_its_community_time(client, student):
    today = local_today(time_zone=student.time_zone)
    log = StudyLogFactory(enrollment=student, lesson=Lesson.objects.get(number=5), day=today, minutes=90, community_minutes=60)
    client.force_login(student.user)
    page = client.get(reverse("progress:log_edit", args=[log.pk])).content.decode()
    assert 'name="community_minutes" value="1:00"' in page  # the edit form shows it, so the student sees what they change
    client.post(reverse("progress:log_edit", args=[log.pk]),
                {"day": today.isoformat(), "lesson": log.lesson_id, "minutes": "2h", "notes": "edited"})
    log.refresh_from_db()
    assert (log.minutes, log.community_minutes, log.notes) == (120, 60, "edited")
