"""`/study start L6`, `/study stop [note]` and `/study` share the web's timer; `/study undo` takes back the last time
logged from Slack (the student's own, within 10 minutes, once); `/study week` gives the week by day and lesson with
the dashboard's verdict."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.timezones import local_today
from integrations.models import SlackLink, SlackLogEntry
from lessons.models import Lesson
from progress.models import StudyLog
from tests.factories import EnrollmentFactory, StudyLogFactory
from tests.helpers import text_of
from tests.integrations.slack import command
from tests.timers.zones import zone_where_it_is
from timers.models import StudyTimer
from timers.services import timer_start

USER, OTHER = "U2147483697", "U0OTHER0001"


def _linked(slack_user_id: str, cohort=None):
    student = EnrollmentFactory(time_zone=zone_where_it_is(12), **({"cohort": cohort} if cohort else {}))
    SlackLink.objects.create(enrollment=student, team_id="T0001", slack_user_id=slack_user_id)
    return student


@pytest.fixture
def student(db):
    return _linked(USER)


def _backdate_timer(student, minutes: int) -> None:
    StudyTimer.objects.filter(enrollment=student).update(started_at=timezone.now() - dt.timedelta(minutes=minutes))


def L(number: int) -> str:  # noqa: N802 - reads as the lesson's name, as replies and pages print it
    return str(Lesson.objects.get(number=number))


def _minutes(student, lesson_number: int) -> int | None:
    log = StudyLog.objects.filter(enrollment=student, lesson__number=lesson_number).first()
    return log.minutes if log else None


def test_a_timer_started_in_slack_shows_on_the_dashboard_and_the_timer_page_and_stops_from_slack(client, student):
    assert command(client, "start L6").startswith(f"Timing {L(6)}.")
    _backdate_timer(student, 25)
    client.force_login(student.user)
    assert f"Timing {L(6)}" in client.get(reverse("progress:dashboard")).text
    assert f"Timing {L(6)}" in client.get(reverse("timers:page")).text

    started = StudyTimer.objects.get(enrollment=student).started_at.astimezone(ZoneInfo(student.time_zone))
    shown = command(client, "")
    assert shown.startswith(f"Timing {L(6)} since {started:%H:%M} ({student.time_zone}): 25 min so far.")

    today = local_today(time_zone=student.time_zone)
    assert command(client, "stop backprop by hand") == f"Added 25 min on {L(6)} for {today:%a %-d %b}."
    log = StudyLog.objects.get(enrollment=student)
    assert (log.lesson.number, log.minutes, log.notes) == (6, 25, "backprop by hand")
    assert not StudyTimer.objects.filter(enrollment=student).exists()
    assert f"Timing {L(6)}" not in client.get(reverse("progress:dashboard")).text
    assert command(client, "").startswith("No timer is running.")


def test_a_timer_started_on_the_web_stops_from_slack_and_adds_to_the_days_log(client, student):
    lesson = Lesson.objects.get(number=3)
    today = local_today(time_zone=student.time_zone)
    StudyLogFactory(enrollment=student, lesson=lesson, day=today, minutes=60)
    client.force_login(student.user)
    client.post(reverse("timers:start"), {"lesson": lesson.pk})
    _backdate_timer(student, 40)
    assert command(client, "").startswith(f"Timing {L(3)} since")
    assert command(client, "stop") == f"Added 40 min on {L(3)} for {today:%a %-d %b} (now 1 h 40 min that day)."
    assert _minutes(student, 3) == 100


def test_a_timer_that_needs_confirming_is_not_logged_from_slack_and_the_reply_links_the_timer_page(client, student):
    timer_start(enrollment=student, lesson=Lesson.objects.get(number=2), now=timezone.now() - dt.timedelta(hours=4, minutes=30))
    answer = command(client, "stop")
    assert "has run 4 h 30 min" in answer and settings.SITE_URL + reverse("timers:page") in answer
    assert StudyTimer.objects.filter(enrollment=student).exists() and not StudyLog.objects.exists()
    assert "Over 4 hours" in command(client, "")
    assert "has run 4 h 30 min" in command(client, "start L5")  # not logged on the way to another lesson either
    assert StudyTimer.objects.get(enrollment=student).lesson.number == 2


def test_start_refuses_a_lesson_that_does_not_exist(client, student):
    assert command(client, "start L99").startswith("There is no lesson 99")
    assert command(client, "start").startswith("Say which lesson")
    assert not StudyTimer.objects.exists()


def test_undo_within_ten_minutes_restores_the_previous_total_once(client, student):
    command(client, "1h L5 first")
    command(client, "30m L5 second")
    assert _minutes(student, 5) == 90
    answer = command(client, "undo")
    assert answer.startswith(f"Took back 30 min on {L(5)}") and "1 h on it that day now" in answer
    assert _minutes(student, 5) == 60
    assert "undone already" in command(client, "undo")
    assert _minutes(student, 5) == 60


def test_undo_of_the_only_entry_removes_the_log_and_a_timer_stop_is_undone_too(client, student):
    command(client, "start L4")
    _backdate_timer(student, 20)
    command(client, "stop")
    assert _minutes(student, 4) == 20
    assert "nothing left on it that day" in command(client, "undo")
    assert _minutes(student, 4) is None
    assert SlackLogEntry.objects.get().undone_at is not None


def test_undo_is_refused_after_ten_minutes(client, student):
    command(client, "45m L2")
    SlackLogEntry.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    assert "more than 10 minutes old" in command(client, "undo")
    assert _minutes(student, 2) == 45


def test_a_student_never_undoes_another_students_entry(client, student):
    other = _linked(OTHER, cohort=student.cohort)
    command(client, "1h L5", user_id=OTHER)
    assert command(client, "undo").startswith("Nothing to undo")
    assert _minutes(other, 5) == 60
    command(client, "20m L5")
    command(client, "undo", user_id=OTHER)
    assert (_minutes(student, 5), _minutes(other, 5)) == (20, None)


def test_week_lists_the_days_and_lessons_and_gives_the_dashboards_verdict(client, student):
    today = local_today(time_zone=student.time_zone)
    StudyLogFactory(enrollment=student, lesson=Lesson.objects.get(number=2), day=today, minutes=90)
    command(client, "45m L3")
    answer = command(client, "week")
    lines = answer.splitlines()
    assert lines[0].startswith("Week ") and lines[0].endswith(": 2 h 15 min")
    assert f"• {today:%a %-d %b}: 2 h 15 min: {L(2)} 1 h 30 min, {L(3)} 45 min" in lines
    client.force_login(student.user)
    page = client.get(reverse("progress:dashboard"))
    assert lines[-1] == f"*{text_of(page, 'verdict-label')}.* {text_of(page, 'verdict-headline')}"


def test_help_names_the_new_commands(client, student):
    answer = command(client, "help")
    assert all(f"`/study {word}" in answer for word in ("start L6", "stop", "undo", "week"))
