"""The timer the way a student meets it, in Debian's Chromium at phone width: started from a lesson's row, counting
in the header without a reload, stopped from the header; and with JavaScript off, still shown and stoppable."""

import datetime as dt
import re

import pytest

from lessons.models import Lesson
from progress.models import StudyLog
from tests.browser.conftest import Journey
from tests.factories import PASSWORD, EnrollmentFactory
from timers.models import StudyTimer
from timers.services import timer_start

from tests.timers.zones import zone_where_it_is

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 375, "height": 812}


def log_in(page, base, user):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_load_state("load")


def test_a_timer_started_on_a_lessons_row_counts_in_the_header_and_stops_from_it(browser, live_server):
    enrollment = EnrollmentFactory(time_zone=zone_where_it_is(12))
    trip = Journey(browser, live_server, "timer-journey-phone", PHONE)
    page = trip.page
    try:
        log_in(page, trip.base, enrollment.user)
        trip.go("/lessons/")
        page.click("button:has-text('Start studying: lesson 3')")
        page.wait_for_url("**/lessons/")
        assert page.locator("[data-testid=lesson-3-timing]").is_visible()
        bar = page.locator("[data-testid=header-timer]")
        assert bar.is_visible() and "Timing lesson 3" in bar.text_content()
        trip.step("timing lesson 3")
        trip.no_horizontal_overflow("lessons with a timer")

        elapsed = page.locator("[data-testid=header-timer] [data-testid=timer-elapsed]")
        first = elapsed.text_content()
        page.wait_for_timeout(2200)
        later = elapsed.text_content()
        assert re.fullmatch(r"0:00:0\d", later) and later != first, (first, later)  # counting, no reload

        trip.go("/summaries/")  # every page
        assert "Timing lesson 3" in page.locator("[data-testid=header-timer]").text_content()
        page.click("[data-testid=header-timer] button:has-text('Stop')")
        page.wait_for_url("**/summaries/")
        assert "nothing was logged" in page.content()  # seconds, not minutes
        assert page.locator("[data-testid=header-timer]").count() == 0
        trip.step("stopped from the header")
    finally:
        trip.close()


def test_without_javascript_the_header_shows_the_start_and_a_stop_that_logs(browser, live_server):
    enrollment = EnrollmentFactory(time_zone=zone_where_it_is(12))
    twenty_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    timer_start(enrollment=enrollment, lesson=Lesson.objects.get(number=2), now=twenty_minutes_ago)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, enrollment.user)
        page.goto(live_server.url + "/dashboard/")
        bar = page.locator("[data-testid=header-timer]")
        assert "Timing lesson 2" in bar.text_content() and "since " in bar.text_content()
        assert re.fullmatch(r"0:20:\d\d", bar.locator("[data-testid=timer-elapsed]").text_content())
        bar.locator("button:has-text('Stop')").click()
        page.wait_for_url("**/dashboard/")
        assert "Added 20 min on Lesson 2" in page.content()
        assert StudyLog.objects.get(enrollment=enrollment).minutes == 20
        assert not StudyTimer.objects.filter(enrollment=enrollment).exists()
    finally:
        context.close()
