"""Stopping a timer adds its minutes to the day's log for its lesson: it never replaces what was there."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.timezones import local_instant
from progress.models import StudentRollup, StudyLog
from tests.factories import EnrollmentFactory, StudyLogFactory
from timers.models import StudyTimer
from timers.services import TimerNeedsConfirmation, timer_discard, timer_start, timer_stop, timer_trim

pytestmark = pytest.mark.django_db


def test_an_hour_logged_and_a_30_minute_timer_make_an_hour_and_a_half(at_noon, today_of, lesson_2):
    StudyLogFactory(
        enrollment=at_noon, day=today_of(at_noon), lesson=lesson_2, minutes=60, community_minutes=15, notes="Read the notes."
    )
    now = timezone.now()
    timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(minutes=30))

    logged = timer_stop(enrollment=at_noon, note="Did the exercises.", now=now)

    log = StudyLog.objects.get(enrollment=at_noon, day=today_of(at_noon), lesson=lesson_2)
    assert (log.minutes, log.community_minutes) == (90, 15)
    assert log.notes == "Read the notes.\n\nDid the exercises."
    assert logged.minutes == 30
    assert not StudyTimer.objects.filter(enrollment=at_noon).exists()
    assert StudentRollup.objects.get(enrollment=at_noon).total_minutes == 90  # the stored numbers moved with it


def test_the_student_sees_the_new_total_after_stopping_on_the_web(client, at_noon, today_of, lesson_2):
    StudyLogFactory(enrollment=at_noon, day=today_of(at_noon), lesson=lesson_2, minutes=60)
    started = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(minutes=30)).timer
    client.force_login(at_noon.user)

    page = client.post(reverse("timers:stop", args=[started.pk]), {"note": ""}, follow=True)

    assert "Added 30 min on Lesson 2" in page.text and "(now 1 h 30 min that day)" in page.text
    assert page.resolver_match.view_name == "progress:log_list"


def test_a_timer_across_the_students_midnight_is_split_between_the_two_days(lesson_2):
    enrollment = EnrollmentFactory(time_zone="Asia/Kolkata")
    day = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=3)
    start = local_instant(day=day, at=dt.time(23, 20), time_zone="Asia/Kolkata")
    timer_start(enrollment=enrollment, lesson=lesson_2, now=start)

    logged = timer_stop(enrollment=enrollment, note="Late one.", now=start + dt.timedelta(minutes=90))

    logs = {log.day: log for log in StudyLog.objects.filter(enrollment=enrollment)}
    assert {day: log.minutes for day, log in logs.items()} == {day: 40, day + dt.timedelta(days=1): 50}
    assert logs[day + dt.timedelta(days=1)].notes == "Late one."  # the note once, on the day it stopped
    assert [added.minutes for added in logged.days] == [40, 50]


def test_a_timer_stopped_within_half_a_minute_logs_nothing(at_noon, lesson_2):
    now = timezone.now()
    timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(seconds=20))
    assert timer_stop(enrollment=at_noon, now=now).days == ()
    assert not StudyLog.objects.filter(enrollment=at_noon).exists()
    assert not StudyTimer.objects.filter(enrollment=at_noon).exists()


def test_starting_the_same_lesson_again_keeps_the_running_timer(at_noon, lesson_2):
    now = timezone.now()
    first = timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(minutes=20))
    again = timer_start(enrollment=at_noon, lesson=lesson_2, now=now)
    assert not again.created and again.timer.pk == first.timer.pk
    assert again.timer.started_at == now - dt.timedelta(minutes=20)


def test_starting_another_lesson_logs_the_running_timer_and_times_the_new_one(at_noon, today_of, lesson_2, lesson_3):
    now = timezone.now()
    timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(minutes=45))
    switched = timer_start(enrollment=at_noon, lesson=lesson_3, now=now)
    assert switched.stopped.minutes == 45
    assert StudyLog.objects.get(enrollment=at_noon, lesson=lesson_2).minutes == 45
    assert StudyTimer.objects.get(enrollment=at_noon).lesson == lesson_3


def test_starting_another_lesson_is_refused_while_a_long_timer_waits_to_be_confirmed(at_noon, lesson_2, lesson_3):
    now = timezone.now()
    timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(hours=5))
    with pytest.raises(TimerNeedsConfirmation, match="has run 5 h"):
        timer_start(enrollment=at_noon, lesson=lesson_3, now=now)
    assert StudyTimer.objects.get(enrollment=at_noon).lesson == lesson_2
    assert not StudyLog.objects.filter(enrollment=at_noon).exists()


def test_discarding_logs_nothing(client, at_noon, lesson_2):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(minutes=50)).timer
    client.force_login(at_noon.user)
    page = client.post(reverse("timers:discard", args=[timer.pk]), follow=True)
    assert "Discarded the timer on Lesson 2" in page.text
    assert not StudyTimer.objects.exists() and not StudyLog.objects.filter(enrollment=at_noon).exists()


def test_trimming_logs_the_first_part_only_and_never_more_than_it_ran(at_noon, lesson_2):
    now = timezone.now()
    timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(minutes=50))
    with pytest.raises(ValidationError, match="The timer ran 50 min"):
        timer_trim(enrollment=at_noon, minutes=51, now=now)
    timer_trim(enrollment=at_noon, minutes=20, now=now)
    assert StudyLog.objects.get(enrollment=at_noon).minutes == 20


def test_a_stopped_timer_can_not_be_stopped_again(at_noon, lesson_2):
    now = timezone.now()
    timer_start(enrollment=at_noon, lesson=lesson_2, now=now - dt.timedelta(minutes=10))
    timer_stop(enrollment=at_noon, now=now)
    with pytest.raises(ValidationError, match="no longer running"):
        timer_stop(enrollment=at_noon, now=now)
    with pytest.raises(ValidationError, match="no longer running"):
        timer_discard(enrollment=at_noon)
    assert StudyLog.objects.get(enrollment=at_noon).minutes == 10


def test_no_timer_starts_after_the_course_has_closed(lesson_2):
    enrollment = EnrollmentFactory()
    after = enrollment.cohort.cutoff_at + dt.timedelta(days=2)
    with pytest.raises(ValidationError, match="The course has closed"):
        timer_start(enrollment=enrollment, lesson=lesson_2, now=after)
