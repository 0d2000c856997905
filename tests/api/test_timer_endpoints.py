"""The study timer through the API: the same timer as the pages (one per student), started and stopped through
the timer app's services, stopping adding its minutes to the day's log."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import StudyLog
from timers.models import StudyTimer

pytestmark = pytest.mark.django_db


def test_no_timer_runs_at_first(api):
    assert api.get(reverse("api:timer")).json() == {"timer": None}


def test_start_shows_the_timer_and_stop_adds_its_minutes_to_the_log(api, enrollment, lessons):
    started = api.post(reverse("api:timer_start"), {"lesson": 4})
    assert started.status_code == 201 and started.json()["created"] is True and started.json()["stopped"] is None
    timer = started.json()["timer"]
    assert timer["lesson"] == 4 and api.get(reverse("api:timer")).json()["timer"]["id"] == timer["id"]
    assert api.post(reverse("api:timer_start"), {"lesson": 4}).status_code == 200  # a second tap: the same timer
    StudyTimer.objects.update(started_at=timezone.now() - dt.timedelta(minutes=25))
    stopped = api.post(reverse("api:timer_stop"), {"note": "Backprop", "timer": timer["id"]})
    assert stopped.status_code == 200
    assert stopped.json()["minutes"] == 25 and stopped.json()["lesson"] == 4
    logs = list(StudyLog.objects.order_by("day"))  # two when the 25 minutes crossed the student's midnight
    assert sum(log.minutes for log in logs) == 25 and {log.lesson.number for log in logs} == {4}
    assert logs[-1].notes == "Backprop"
    assert api.get(reverse("api:timer")).json() == {"timer": None}


def test_stopping_when_none_runs_is_a_400_problem(api):
    response = api.post(reverse("api:timer_stop"), {})
    assert response.status_code == 400 and "no longer running" in response.json()["detail"]


def test_a_forgotten_timer_is_not_stopped_without_confirming(api, lessons):
    api.post(reverse("api:timer_start"), {"lesson": 2})
    StudyTimer.objects.update(started_at=timezone.now() - dt.timedelta(hours=5))
    response = api.post(reverse("api:timer_stop"), {})
    assert response.status_code == 409 and response.json()["code"] == "timer_needs_confirmation"
    assert not StudyLog.objects.exists() and StudyTimer.objects.exists()


def test_a_read_token_neither_starts_nor_stops(read_api, lessons):
    assert read_api.post(reverse("api:timer_start"), {"lesson": 1}).status_code == 403
    assert not StudyTimer.objects.exists()
