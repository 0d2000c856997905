"""Whatever is posted to the timer's forms, the student gets a page or a redirect, never a 500, and a refused value
logs nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from progress.models import StudyLog
from timers.models import StudyTimer
from timers.services import timer_start

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00", "a\x00b", "x" * 10_001, "\u0661\u0662", "nan", "inf", "-1", "0", "9" * 40, "", "   ", "<script>alert(1)</script>",
    "//evil.example", "%zz", "1e309", "99999:99",
]


def test_hostile_values_in_every_timer_field_never_answer_500(client, at_noon, lesson_2):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(minutes=30)).timer
    client.force_login(at_noon.user)
    for value in HOSTILE:
        for name, field in (("timers:confirm", "minutes"), ("timers:confirm", "note"), ("timers:stop", "note")):
            data = {"minutes": "0:10", "note": "", field: value}
            if field == "note" and "\x00" not in value and len(value) <= 10_000:
                continue  # a valid note: this would log
            response = client.post(reverse(name, args=[timer.pk]), data)
            assert response.status_code in (200, 302), (name, field, value)
            assert StudyTimer.objects.filter(pk=timer.pk).exists(), (name, field, value)
        for url in (reverse("timers:start"), reverse("timers:keep", args=[timer.pk])):
            response = client.post(f"{url}?next={value[:50]}", {"next": value, "lesson": value})
            assert response.status_code == 302 and not response["Location"].startswith("//"), (url, value)
    assert StudyTimer.objects.get(enrollment=at_noon).pk == timer.pk
    assert not StudyLog.objects.filter(enrollment=at_noon).exists()
    response = client.post(reverse("timers:discard", args=[timer.pk]), {"next": "//evil.example"})
    assert response.status_code == 302 and response["Location"] == reverse("timers:page")
