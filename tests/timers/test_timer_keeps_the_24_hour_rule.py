"""A timer can not make a day longer than 24 hours: the stop is refused with the reason, the timer runs on, and
the student trims it or discards it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import StudyLog
from tests.factories import StudyLogFactory
from timers.models import StudyTimer
from timers.services import timer_start

pytestmark = pytest.mark.django_db


def test_a_stop_past_24_hours_comes_back_to_the_student_and_a_trim_that_fits_logs(client, at_noon, today_of, lesson_2, lesson_3):
    day = today_of(at_noon)
    StudyLogFactory(enrollment=at_noon, day=day, lesson=lesson_2, minutes=23 * 60 + 30)
    timer = timer_start(enrollment=at_noon, lesson=lesson_3, now=timezone.now() - dt.timedelta(hours=1)).timer
    client.force_login(at_noon.user)

    refused = client.post(reverse("timers:stop", args=[timer.pk]), {"note": "more"}, follow=True)

    assert refused.resolver_match.view_name == "timers:page"
    assert "A day has 24 hours: you already logged 23 h 30 min" in refused.text
    assert "at most 30 min more" in refused.text
    assert 'data-testid="timer-confirm-form"' in refused.text  # the way out: log less
    assert StudyTimer.objects.filter(pk=timer.pk).exists()
    assert not StudyLog.objects.filter(enrollment=at_noon, lesson=lesson_3).exists()

    trimmed = client.post(reverse("timers:confirm", args=[timer.pk]), {"minutes": "0:30", "note": ""}, follow=True)

    assert "Added 30 min on Lesson 3" in trimmed.text
    assert sum(log.minutes for log in StudyLog.objects.filter(enrollment=at_noon, day=day)) == 24 * 60


def test_a_trim_past_24_hours_shows_the_reason_next_to_the_form(client, at_noon, today_of, lesson_2, lesson_3):
    StudyLogFactory(enrollment=at_noon, day=today_of(at_noon), lesson=lesson_2, minutes=23 * 60 + 30)
    timer = timer_start(enrollment=at_noon, lesson=lesson_3, now=timezone.now() - dt.timedelta(hours=1)).timer
    client.force_login(at_noon.user)

    page = client.post(reverse("timers:confirm", args=[timer.pk]), {"minutes": "45m", "note": ""})

    assert page.status_code == 200
    assert "Nothing was logged: A day has 24 hours" in page.text
    assert StudyTimer.objects.filter(pk=timer.pk).exists()
