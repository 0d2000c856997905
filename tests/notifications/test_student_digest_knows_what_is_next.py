"""The weekly digest: a finished student reads "finished on ...", not a streak and a forecast; and every student
finds the events they said they will come to in the next 7 days, in their own zone."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Rsvp
from lessons.models import Lesson
from notifications.services.sending import notifications_send_chunk
from progress.models import Cohort
from progress.services.reflection import project_submit
from progress.services.study_logs import lesson_progress_set
from tests.factories import CohortFactory, EnrollmentFactory, EventFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OPENS = dt.date(2030, 11, 9)
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")
WEEK_3 = dt.datetime(2030, 11, 23, 18, 0, tzinfo=UTC)  # Saturday 23 November, 09:00 in Anchorage


@pytest.fixture
def cohort(db):
    return CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, time_zone="UTC")


def digests(students):
    mail.outbox.clear()
    notifications_send_chunk(kind="digest", cohort_id=students[0].cohort_id, number=3, ids=[s.pk for s in students], now=WEEK_3)
    return {m.to[0]: m for m in mail.outbox}


def test_a_finished_students_digest_says_finished_on_and_nothing_of_streaks_or_forecasts(cohort):
    done = EnrollmentFactory(cohort=cohort, time_zone="UTC", user__email="done@example.org")
    finished_at = dt.datetime(2030, 11, 20, 12, tzinfo=UTC)
    for lesson in Lesson.objects.filter(is_final_project=False):
        lesson_progress_set(enrollment=done, lesson=lesson, done=True, now=finished_at)
    project_submit(enrollment=done, url="https://github.com/done/flowers", description="", score=None, now=finished_at)
    message = digests([done])["done@example.org"]
    assert "You finished on Wednesday 20 November: every lesson is done." in message.body
    assert "finished on 20 November" in message.subject
    html = message.alternatives[0][0]
    for text in (message.body, html):
        for never in ("streak", "forecast", "ahead by", "behind by", "against a goal", "plan:"):
            assert never not in text.lower(), never
    assert "You finished on Wednesday 20 November" in html


def test_the_digest_lists_the_events_they_will_come_to_in_the_next_7_days_in_their_zone(cohort):
    alaska = EnrollmentFactory(cohort=cohort, time_zone="America/Anchorage", user__email="alaska@example.org")
    other = EnrollmentFactory(cohort=cohort, time_zone="UTC", user__email="other@example.org")
    tomorrow = EventFactory(cohort=cohort, title="AMA with the mentors", host="Jane Doe", starts_at=dt.datetime(2030, 11, 24, 7, 30, tzinfo=UTC))
    not_going = EventFactory(cohort=cohort, title="Webinar I skipped", starts_at=WEEK_3 + dt.timedelta(days=2))
    cancelled = EventFactory(cohort=cohort, title="Cancelled talk", starts_at=WEEK_3 + dt.timedelta(days=3), cancelled_at=WEEK_3)
    far = EventFactory(cohort=cohort, title="Far away AMA", starts_at=WEEK_3 + dt.timedelta(days=9))
    past = EventFactory(cohort=cohort, title="Yesterday's AMA", starts_at=WEEK_3 - dt.timedelta(days=1))
    for event in (tomorrow, cancelled, far, past):
        Rsvp.objects.create(event=event, enrollment=alaska)
    Rsvp.objects.create(event=not_going, enrollment=alaska, is_going=False)
    sent = digests([alaska, other])
    body = sent["alaska@example.org"].body
    # 07:30 UTC on Sunday 24 November is 22:30 on Saturday 23 November in Anchorage.
    assert "Coming up, as you said you will come:\n- Saturday 23 November, 22:30 AKST: AMA with the mentors, with Jane Doe (1 h)" in body
    for title in ("Webinar I skipped", "Cancelled talk", "Far away AMA", "Yesterday's AMA"):
        assert title not in body
    assert "22:30 AKST" in sent["alaska@example.org"].alternatives[0][0]
    assert "Coming up" not in sent["other@example.org"].body


def test_a_chunks_queries_do_not_grow_with_its_students_or_their_events(cohort):
    def chunk_of(n):
        students = [EnrollmentFactory(cohort=cohort, time_zone="UTC") for _ in range(n)]
        for student in students:
            for days in (1, 2, 3):
                Rsvp.objects.create(event=EventFactory(cohort=cohort, starts_at=WEEK_3 + dt.timedelta(days=days)), enrollment=student)
        with CaptureQueriesContext(connection) as captured:
            assert len(digests(students)) == n
        return len(captured)

    small, large = chunk_of(2), chunk_of(6)
    assert large - small == 4 * (6 - 2)  # only the per-email mark as sent (savepoint, SET LOCAL, UPDATE, release)
