"""A forgotten timer does not log 14 hours silently: past 4 hours it logs only what the student confirms, and it
stops itself at the student's local midnight + 4 h, counted as stopped then, without a GET writing anything."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.timezones import local_instant, local_today
from progress.models import StudyLog
from tests.factories import EnrollmentFactory
from timers.models import StudyTimer
from timers.services import timer_start

pytestmark = pytest.mark.django_db


def test_stopping_a_five_hour_timer_asks_to_confirm_or_trim_and_logs_what_is_confirmed(client, at_noon, lesson_2):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(hours=5, minutes=10)).timer
    client.force_login(at_noon.user)

    asked = client.post(reverse("timers:stop", args=[timer.pk]), {"note": ""}, follow=True)

    assert asked.resolver_match.view_name == "timers:page"
    assert 'data-testid="timer-confirm"' in asked.text
    assert '<strong data-testid="timer-elapsed-words">5 h 10 min</strong>' in asked.text
    assert 'value="5:10"' in asked.text  # the form offers all of it, to confirm or to trim
    assert not StudyLog.objects.filter(enrollment=at_noon).exists()

    client.post(reverse("timers:confirm", args=[timer.pk]), {"minutes": "2h", "note": "Fell asleep after two hours."})

    log = StudyLog.objects.get(enrollment=at_noon)
    assert (log.minutes, log.notes) == (120, "Fell asleep after two hours.")
    assert not StudyTimer.objects.exists()


def test_still_studying_keeps_it_running_and_a_later_stop_logs_it_all(client, at_noon, lesson_2):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(hours=4, minutes=30)).timer
    client.force_login(at_noon.user)
    client.post(reverse("timers:keep", args=[timer.pk]))

    client.post(reverse("timers:stop", args=[timer.pk]), {"note": ""})

    assert StudyLog.objects.get(enrollment=at_noon).minutes == 270


def test_a_timer_read_after_four_in_the_night_counts_as_stopped_then_and_the_get_writes_nothing(client, lesson_2):
    enrollment = EnrollmentFactory(time_zone="Europe/Berlin")
    two_days_ago = local_today(time_zone="Europe/Berlin") - dt.timedelta(days=2)
    timer = timer_start(
        enrollment=enrollment, lesson=lesson_2, now=local_instant(day=two_days_ago, at=dt.time(23, 0), time_zone="Europe/Berlin")
    ).timer
    client.force_login(enrollment.user)
    client.get(reverse("progress:dashboard"))  # warm the session and per-process caches

    for url in (reverse("timers:page"), reverse("progress:dashboard"), reverse("lessons:list")):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        writes = [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))]
        assert writes == [], url
        assert "stopped itself at 04:00" in page.text, url
    page = client.get(reverse("timers:page"))
    assert '<strong data-testid="timer-elapsed-words">5 h</strong>' in page.text
    assert "Still studying" not in page.text  # a stopped timer can only be confirmed, trimmed or discarded
    assert StudyTimer.objects.get(pk=timer.pk).updated_at == timer.updated_at
    assert not StudyLog.objects.filter(enrollment=enrollment).exists()

    client.post(reverse("timers:confirm", args=[timer.pk]), {"minutes": "5:00", "note": ""})

    logged = dict(StudyLog.objects.filter(enrollment=enrollment).values_list("day", "minutes"))
    assert logged == {two_days_ago: 60, two_days_ago + dt.timedelta(days=1): 4 * 60}


def test_a_plain_stop_of_a_timer_that_stopped_itself_asks_first(client, lesson_2):
    enrollment = EnrollmentFactory(time_zone="Europe/Berlin")
    yesterday = local_today(time_zone="Europe/Berlin") - dt.timedelta(days=1)
    start = local_instant(day=yesterday, at=dt.time(0, 30), time_zone="Europe/Berlin")  # stopped itself at 04:00
    timer = timer_start(enrollment=enrollment, lesson=lesson_2, now=start).timer
    client.force_login(enrollment.user)

    page = client.post(reverse("timers:stop", args=[timer.pk]), follow=True)

    assert "stopped itself at 04:00" in page.text and "3 h 30 min" in page.text
    assert not StudyLog.objects.filter(enrollment=enrollment).exists()
    refused = client.post(reverse("timers:keep", args=[timer.pk]), follow=True)
    assert "stopped itself at night" in refused.text
