"""Every student has a calendar feed, plan or not: its address is on the profile and the schedule, and it holds the
cut-off, the weekly summary reminder and the student's events (with the plan's lessons once there is a plan).
A plan's address from before the token moved to the enrollment keeps working. (The same in a browser, at desk and
phone width: tests/browser/test_calendar_feed_journey.py.)"""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from icalendar import Calendar

from events.models import Rsvp
from progress.models import Enrollment as Current
from tests.factories import EnrollmentFactory, EventFactory, UserFactory

def address_on(page_html: str) -> str:
    match = re.search(r'<input id="calendar-url"[^>]*value="([^"]+)"', page_html)
    assert match, "no calendar address on the page"
    return match.group(1).replace("&amp;", "&")


def feed_at(client, address: str):
    parts = urlsplit(address)
    response = client.get(parts.path, parse_qs(parts.query))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


@pytest.fixture
def student(db, cohort):
    return EnrollmentFactory(cohort=cohort, time_zone="America/New_York")


def test_a_student_without_a_plan_finds_the_address_on_the_profile_and_the_schedule(client, student):
    mine = EventFactory(cohort=student.cohort, title="Careers AMA")
    EventFactory(cohort=student.cohort, title="Not mine")
    Rsvp.objects.create(event=mine, enrollment=student)
    client.force_login(student.user)
    on_profile = address_on(client.get(reverse("progress:profile")).content.decode())
    schedule = client.get(reverse("progress:schedule")).content.decode()
    assert "Make your plan" in schedule and address_on(schedule) == on_profile
    client.logout()

    events = {str(event["SUMMARY"]): event for event in feed_at(client, on_profile).walk("VEVENT")}
    cutoff_day = student.cohort.cutoff_at.astimezone(dt.timezone(dt.timedelta(hours=-5))).date()  # New York in winter
    cutoff = next(event for summary, event in events.items() if "cut-off" in summary)
    assert cutoff.decoded("DTSTART") == cutoff_day and cutoff.walk("VALARM")
    assert "Write your weekly summary" in events and "Careers AMA (The instructors)" in events
    assert "Not mine (The instructors)" not in events
    assert not [summary for summary in events if summary.startswith("Lesson")]


def test_making_a_plan_puts_its_lessons_in_the_same_feed(client, student):
    client.force_login(student.user)
    before = address_on(client.get(reverse("progress:profile")).content.decode())
    opens = student.cohort.opens_on
    client.post(reverse("progress:schedule"), {
        "starts_on": opens.isoformat(), "target_on": (opens + dt.timedelta(days=50)).isoformat(), "weekday_hours": "8",
        "weekend_hours": "8", "days_off": "", "accept_after_cutoff": "on",
    })
    assert address_on(client.get(reverse("progress:schedule")).content.decode()) == before
    client.logout()
    assert [str(e["SUMMARY"]) for e in feed_at(client, before).walk("VEVENT") if str(e["SUMMARY"]).startswith("Lesson")]


def test_a_new_address_from_the_profile_stops_the_old_one_and_comes_back_to_the_profile(client, student):
    client.force_login(student.user)
    old = address_on(client.get(reverse("progress:profile")).content.decode())
    response = client.post(reverse("progress:calendar_token_reset"), {"next": "/profile/#calendar-heading"}, follow=True)
    assert response.redirect_chain[-1][0] == "/profile/#calendar-heading"
    assert "Your calendar address is new" in response.content.decode()
    new = address_on(response.content.decode())
    assert new != old
    client.logout()
    assert client.get(urlsplit(old).path, parse_qs(urlsplit(old).query)).status_code == 404
    feed_at(client, new)


def test_every_student_has_an_address_of_their_own(db, cohort):
    students = EnrollmentFactory.create_batch(3, cohort=cohort)
    tokens = {student.calendar_token for student in students}
    assert len(tokens) == 3 and all(len(token) >= 40 for token in tokens)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_address_subscribed_to_before_the_move_still_works(client):
    """The migration copies each plan's token onto its enrollment; students without a plan get one of their own."""
    planner_user, idle_user = UserFactory(), UserFactory()
    before = [("progress", "0012_rollups_kept_on_write")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        cohort = old.get_model("progress", "Cohort").objects.create(
            name="Old", slug="old", opens_on=dt.date(2026, 11, 1), cutoff_at=dt.datetime(2027, 1, 10, 7, 59, tzinfo=dt.UTC)
        )
        Enrollment = old.get_model("progress", "Enrollment")
        planner = Enrollment.objects.create(user_id=planner_user.pk, cohort=cohort, time_zone="UTC")
        idle = Enrollment.objects.create(user_id=idle_user.pk, cohort=cohort, time_zone="UTC")
        old.get_model("progress", "StudyPlan").objects.create(
            enrollment=planner, starts_on=dt.date(2026, 11, 1), target_on=dt.date(2026, 12, 20), weekday_hours=3,
            weekend_hours=5, calendar_token="subscribed-in-november-token-0123456789abcdef",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert Current.objects.get(pk=planner.pk).calendar_token == "subscribed-in-november-token-0123456789abcdef"
    response = client.get(reverse("progress:schedule_ics"), {"token": "subscribed-in-november-token-0123456789abcdef"})
    assert response.status_code == 200 and b"Old: cut-off" in response.content
    assert len(Current.objects.get(pk=idle.pk).calendar_token) >= 40
