"""A running timer shows in the header of every page (its lesson and elapsed time), with a Stop button that works
without JavaScript; static/js/timer.js keeps the time counting."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from progress.models import StudyLog
from tests.factories import UserFactory
from tests.sitewide.test_every_url_is_guarded import POST_ONLY, STUDENT
from timers.services import timer_start

pytestmark = pytest.mark.django_db

KWARGS = {"lessons:detail": {"slug": "welcome"}, "progress:summary_write": {"week": 1}}


def header(html: str) -> str:
    found = re.search(r'data-testid="header-timer">.*?</form>', html, re.S)
    return found.group(0) if found else ""


def student_pages():
    for name in sorted(STUDENT - POST_ONLY):
        try:
            yield name, reverse(name, kwargs=KWARGS.get(name))
        except NoReverseMatch:
            continue  # another student's object: not a page every student has


def test_every_student_page_shows_the_running_timer_in_the_header(client, at_noon, lesson_2):
    timer_start(enrollment=at_noon, lesson=lesson_2, now=timezone.now() - dt.timedelta(minutes=25))
    client.force_login(at_noon.user)
    shown = []
    for name, url in [*student_pages(), ("timers:page", reverse("timers:page"))]:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        bar = header(response.text)
        assert "Timing lesson 2" in bar, name
        assert re.search(r'data-testid="timer-elapsed"[^>]*>0:2[56]:\d\d<', bar), name
        shown.append(name)
    assert len(shown) >= 15, shown


def test_without_javascript_the_header_shows_when_it_started_and_a_stop_button_that_logs(client, at_noon, lesson_2):
    started = timezone.now() - dt.timedelta(minutes=25)
    timer = timer_start(enrollment=at_noon, lesson=lesson_2, now=started).timer
    client.force_login(at_noon.user)
    html = client.get(reverse("lessons:list")).text
    bar = header(html)

    local_start = started.astimezone(ZoneInfo(at_noon.time_zone))
    assert f"since {local_start:%H:%M}" in bar
    assert f'action="{reverse("timers:stop", args=[timer.pk])}"' in bar and ">Stop<" in bar
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))  # no inline script: the CSP holds
    assert '<script src="/static/js/timer.js" defer></script>' in html

    form = re.search(r'<form method="post" action="([^"]+)".*?name="next" value="([^"]+)"', bar, re.S)
    page = client.post(form.group(1), {"next": form.group(2)}, follow=True)

    assert page.resolver_match.view_name == "lessons:list"
    assert StudyLog.objects.get(enrollment=at_noon, lesson=lesson_2).minutes == 25
    assert 'data-testid="header-timer"' not in page.text


def test_no_header_timer_for_students_without_one_staff_or_visitors(client, at_noon):
    client.force_login(at_noon.user)
    assert 'data-testid="header-timer"' not in client.get(reverse("progress:dashboard")).text
    client.force_login(UserFactory(is_staff=True))
    assert 'data-testid="header-timer"' not in client.get(reverse("cohort:dashboard")).text
    client.logout()
    assert 'data-testid="header-timer"' not in client.get(reverse("accounts:login")).text
