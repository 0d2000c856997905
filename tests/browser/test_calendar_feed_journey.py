"""Every student subscribes to their calendar from the profile or the schedule, plan or not, at desk and phone width."""

import pytest

from events.models import Rsvp
from tests.browser.test_journeys import PHONE, log_in_as
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_student_without_a_plan_subscribes_from_the_profile(journey, browser):
    cohort = CohortFactory(time_zone="UTC")
    student = EnrollmentFactory(cohort=cohort, time_zone="Asia/Tokyo", user__full_name="Kenji Sato")
    event = EventFactory(cohort=cohort, title="AMA with the instructors")
    Rsvp.objects.create(event=event, enrollment=student)
    for viewport in (None, PHONE):
        trip = journey(viewport=viewport, name=f"calendar-feed-{'phone' if viewport else 'desktop'}")
        page = trip.page
        log_in_as(trip, student.user)
        trip.go("/profile/")
        address = page.input_value("#calendar-url")
        assert address.startswith(trip.base + "/schedule.ics?token=")
        page.locator("#calendar-heading").scroll_into_view_if_needed()
        trip.step("calendar address on the profile")
        if viewport:
            trip.no_horizontal_overflow("profile")
        trip.go("/schedule/")
        assert page.input_value("#calendar-url") == address
        trip.step("calendar address on the schedule")
        if viewport:
            trip.no_horizontal_overflow("schedule")
        feed = page.request.get(address).text()
        assert "SUMMARY:AMA with the instructors (The instructors)" in feed and "cut-off at" in feed
