"""Staff cancel an event the way they meet it, in the programme's time, after a page saying who will be emailed; two
mentors of a group nudge one student, the second is told who did, and the email can be answered."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from common.timezones import local_today
from events.models import Event, Rsvp
from tests.browser.test_journeys import PHONE, log_in_as
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory, StudyLogFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def programme(db):
    """A cohort run from Los Angeles."""
    return CohortFactory(time_zone="America/Los_Angeles", opens_on=local_today(time_zone="America/Los_Angeles") - dt.timedelta(days=17))


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_staff_cancel_an_event_after_being_told_who_will_be_emailed(journey, programme, browser, viewport):
    start = (timezone.now() + dt.timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)  # 18:00 or 19:00 the day before in LA
    webinar = EventFactory(cohort=programme, title="Portfolio webinar", starts_at=start)
    done = EventFactory(cohort=programme, title="Kick-off AMA", starts_at=timezone.now() - dt.timedelta(days=3),
                        description="Post your questions beforehand.")
    going = [EnrollmentFactory(cohort=programme) for _ in range(2)]
    for student in going:
        Rsvp.objects.create(event=webinar, enrollment=student)
        Rsvp.objects.create(event=done, enrollment=student)
    staff = UserFactory(is_staff=True)
    trip = journey(viewport=viewport)
    page = trip.page

    log_in_as(trip, staff)
    trip.go(f"/events/staff/?cohort={programme.slug}")
    local = start.astimezone(ZoneInfo("America/Los_Angeles"))
    assert f"{local:%H:%M} {local.tzname()}" in page.text_content("[data-testid=staff-events-upcoming]")
    assert "UTC" not in page.text_content("[data-testid=staff-events-upcoming]")
    assert "Kick-off AMA" in page.text_content("[data-testid=staff-events-past]")
    assert page.locator("[data-testid=staff-events-past] >> text=Cancel").count() == 0
    trip.step("staff events, upcoming and past")
    trip.no_horizontal_overflow("staff events")

    page.click("[data-testid=staff-events-upcoming] >> text=Cancel")
    assert "2 students who said they will come get an email" in page.text_content("[data-testid=cancel-audience]")
    trip.step("cancel asks first")
    trip.no_horizontal_overflow("cancel asks first")
    page.click("button:has-text('Cancel the event and email 2 students')")
    assert "Cancelled Portfolio webinar" in page.text_content("main")
    assert "cancelled" in page.text_content(f"[data-testid=staff-event-{webinar.pk}]")
    trip.step("cancelled")
    assert Event.objects.get(pk=webinar.pk).is_cancelled

    log_in_as(trip, going[0].user)
    trip.go("/events/")
    card = page.text_content(f"[data-testid=event-{done.pk}]")
    assert "This event has ended" in card and "beforehand" not in card
    trip.step("a past event for a student")


def test_two_mentors_one_nudge_a_day_and_who_sent_it(journey, programme, browser, monkeypatch, settings):
    from common import health
    from groups.models import Membership, Mentorship, StudyGroup
    from notifications import tasks as notification_tasks
    from progress.services.rollups import rollups_rebuild

    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(
        notification_tasks.notifications_send_chunk, "delay", lambda *args: notification_tasks.notifications_send_chunk.apply(args=args)
    )
    settings.EMAIL_BACKEND = "common.mail.OneFilePerMessageBackend"
    group = StudyGroup.objects.create(cohort=programme, name="Evening owls", utc_offset=-8, weekly_goal_hours=20)
    shy = EnrollmentFactory(cohort=programme, time_zone="America/Los_Angeles", user__full_name="Shy Sam")
    Membership.objects.create(enrollment=shy, group=group)
    StudyLogFactory(enrollment=shy, day=programme.opens_on, minutes=75)  # long idle: at risk
    maya = EnrollmentFactory(cohort=programme, time_zone="America/Los_Angeles", user__full_name="Maya Mentor",
                             user__email="maya@example.org").user
    omar = UserFactory(is_staff=True, full_name="Omar Organiser")
    for mentor in (maya, omar):
        Mentorship.objects.create(group=group, mentor=mentor)
    rollups_rebuild(cohort_id=programme.pk)

    trip = journey(viewport=PHONE)
    page = trip.page
    log_in_as(trip, maya)
    trip.go("/mentor/")
    assert "as its Reply-To" in page.text_content("[data-testid=mentor-agreement]")
    assert page.get_attribute(f"#nudge-{shy.pk}", "placeholder").startswith("Write a few words")
    trip.step("who needs a hand")
    trip.no_horizontal_overflow("who needs a hand")
    page.fill(f"#nudge-{shy.pk}", "We miss you on Thursday calls.")
    page.click("button:has-text('Nudge Shy Sam')")
    assert "Your nudge is on its way to Shy Sam." in page.text_content("main")

    log_in_as(trip, omar)
    trip.go("/mentor/")
    assert "Maya Mentor nudged Shy Sam" in page.text_content("[data-testid=nudges-sent]")
    page.fill(f"#nudge-{shy.pk}", "Need a hand?")
    page.click("button:has-text('Nudge Shy Sam')")
    assert "Shy Sam already had a nudge today, from Maya Mentor" in page.text_content("main")
    trip.step("the second mentor is told who nudged")
    trip.no_horizontal_overflow("the second mentor is told who nudged")

    mail = [path.read_text() for path in Path(settings.EMAIL_FILE_PATH).glob("*")]
    assert len(mail) == 1 and re.search(r"^Reply-To: maya@example.org$", mail[0], re.M)
    assert f"/groups/{group.pk}/" in mail[0]
