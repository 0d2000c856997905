"""A student's timer is theirs alone: another student can not stop, confirm, keep or discard it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import StudyLog
from tests.factories import EnrollmentFactory
from timers.models import StudyTimer
from timers.services import timer_start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["timers:stop", "timers:confirm", "timers:keep", "timers:discard"])
def test_another_students_timer_is_404(client, at_noon, lesson_2, action):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(minutes=40)).timer
    intruder = EnrollmentFactory(cohort=at_noon.cohort, time_zone=at_noon.time_zone)
    timer_start(enrollment=intruder, lesson=lesson_2)  # with a timer of their own, too
    client.force_login(intruder.user)

    assert client.post(reverse(action, args=[timer.pk]), {"minutes": "0:40", "note": "x"}).status_code == 404

    assert StudyTimer.objects.get(pk=timer.pk).confirmed_at is None
    assert not StudyLog.objects.exists()


def test_a_stop_from_an_old_tab_does_not_stop_the_timer_started_since(client, at_noon, lesson_2, lesson_3):
    old = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(minutes=40)).timer
    new = timer_start(enrollment=at_noon, lesson=lesson_3).timer  # on the phone: logs the old one, times lesson 3
    client.force_login(at_noon.user)

    page = client.post(reverse("timers:stop", args=[old.pk]), follow=True)

    assert "That timer is no longer running" in page.text
    assert StudyTimer.objects.get(enrollment=at_noon).pk == new.pk
    assert StudyLog.objects.get(enrollment=at_noon).minutes == 40
