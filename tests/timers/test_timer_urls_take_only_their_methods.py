"""The timer's page is read with GET only; every change to a timer is a POST (a link or a prefetch never stops one)."""

import pytest
from django.urls import reverse

from timers.models import StudyTimer
from timers.services import timer_start

pytestmark = pytest.mark.django_db


def test_wrong_methods_get_405_and_change_nothing(client, at_noon, lesson_2):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2).timer
    client.force_login(at_noon.user)
    for name in ("timers:stop", "timers:confirm", "timers:keep", "timers:discard"):
        url = reverse(name, args=[timer.pk])
        assert [client.get(url).status_code, client.put(url).status_code, client.delete(url).status_code] == [405] * 3, name
    assert client.get(reverse("timers:start")).status_code == 405
    assert client.post(reverse("timers:page")).status_code == 405
    assert StudyTimer.objects.get(pk=timer.pk).confirmed_at is None
