"""Staff's events page speaks the programme's zone, labelled; upcoming and past are apart; a past event has no Cancel;
cancelling asks first and says who will be emailed; after an event its card no longer asks for questions beforehand."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</table>", start)]


def test_staff_see_times_in_the_programmes_zone_labelled(staff, cohort):
    # 02:00 UTC on 16 December is 18:00 on 15 December in Los Angeles, the programme's zone.
    start = dt.datetime(timezone.now().year + 1, 12, 16, 2, 0, tzinfo=UTC)
    EventFactory(cohort=cohort, title="Evening AMA", starts_at=start)
    page = staff.get(reverse("events:staff_list"), {"cohort": cohort.slug}).content.decode()
    assert f"15 Dec {start.year}, 18:00 PST" in page and "02:00 UTC" not in page
    assert "Times are in the programme's zone, America/Los_Angeles" in page


def test_upcoming_and_past_are_apart_and_a_past_event_has_no_cancel_button(staff, cohort):
    soon = EventFactory(cohort=cohort, title="Soon AMA")
    done = EventFactory(cohort=cohort, title="Done AMA", starts_at=timezone.now() - dt.timedelta(days=2))
    page = staff.get(reverse("events:staff_list"), {"cohort": cohort.slug}).content.decode()
    upcoming, past = section(page, "staff-events-upcoming"), section(page, "staff-events-past")
    assert "Soon AMA" in upcoming and "Done AMA" not in upcoming
    assert "Done AMA" in past and "Soon AMA" not in past
    assert reverse("events:staff_cancel", args=[soon.pk]) in upcoming
    assert "Cancel" not in past and reverse("events:staff_cancel", args=[done.pk]) not in page


def test_cancelling_asks_first_and_says_who_will_be_emailed(staff, cohort):
    event = EventFactory(cohort=cohort, title="Webinar")
    for wants in (True, True, False):
        Rsvp.objects.create(event=event, enrollment=EnrollmentFactory(cohort=cohort, wants_event_reminders=wants))
    Rsvp.objects.create(event=event, enrollment=EnrollmentFactory(cohort=cohort), is_going=False)
    url = reverse("events:staff_cancel", args=[event.pk])
    page = staff.get(url).content.decode()
    assert "Cancel Webinar?" in page
    assert "<strong>2 students</strong> who said they will come get an email saying it is cancelled (3 said they will come; the others turned event emails off)" in page
    assert "Cancel the event and email 2 students" in page
    event.refresh_from_db()
    assert not event.is_cancelled  # asking changes nothing
    page = staff.post(url, follow=True).content.decode()
    assert "Cancelled Webinar" in page
    event.refresh_from_db()
    assert event.is_cancelled


def test_a_started_event_can_not_be_cancelled(staff, cohort):
    event = EventFactory(cohort=cohort, title="Running AMA", starts_at=timezone.now() - dt.timedelta(minutes=10))
    url = reverse("events:staff_cancel", args=[event.pk])
    assert "can no longer be cancelled" in staff.get(url).content.decode()
    page = staff.post(url, follow=True).content.decode()
    assert "already started" in page
    assert not Event.objects.get(pk=event.pk).is_cancelled


def test_after_an_event_its_card_no_longer_asks_for_questions_beforehand(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    ended = EventFactory(cohort=cohort, description="Post your questions beforehand in the forum.",
                         starts_at=timezone.now() - dt.timedelta(days=1))
    recorded = EventFactory(cohort=cohort, description="Post questions beforehand.", recording_url="https://video.example.org/1",
                            starts_at=timezone.now() - dt.timedelta(days=2))
    upcoming = EventFactory(cohort=cohort, description="Post your questions beforehand in the forum.")
    client.force_login(student.user)
    page = client.get(reverse("events:list")).content.decode()

    def card(event):
        start = page.index(f'id="event-{event.pk}"')
        return page[start:page.index("</article>", start)]

    assert "beforehand" not in card(ended) and "This event has ended. No recording has been added." in card(ended)
    assert "beforehand" not in card(recorded) and 'href="https://video.example.org/1"' in card(recorded)
    assert "Watch the recording" in card(recorded)
    assert "Post your questions beforehand" in card(upcoming)


def test_the_staff_page_runs_the_same_queries_however_many_events(staff):
    cohort = CohortFactory()
    url = reverse("events:staff_list")
    counts = []
    for total in (2, 20):
        Event.objects.filter(cohort=cohort).delete()
        for n in range(total):
            EventFactory(cohort=cohort, starts_at=timezone.now() + dt.timedelta(days=n - total // 2, hours=1))
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url, {"cohort": cohort.slug}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
