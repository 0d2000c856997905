"""The staff digest words its list of groups by how many it lists, and shows each number's change since a week ago
from the cohort's snapshots; when that day has none, it says why instead of a column of dashes."""

import datetime as dt

import pytest
from django.core import mail

from accounts.models import User
from groups.models import Membership
from notifications.services.sending import notifications_send_chunk
from progress.models import Cohort
from review.services.snapshots import cohort_snapshot_take, cohort_snapshots_take
from tests.factories import CohortFactory, EnrollmentFactory, StudyGroupFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OPENS = dt.date(2030, 11, 9)  # a Saturday: week 3 starts Saturday 23 November
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")
WEEK_3 = dt.datetime(2030, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def cohort(db):
    return CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, time_zone="UTC")


def enrol(cohort, n):
    return [EnrollmentFactory(cohort=cohort, time_zone="UTC") for _ in range(n)]


def staff_digest(cohort):
    coach = User.objects.filter(email="coach@example.org").first() or UserFactory(email="coach@example.org", is_staff=True)
    notifications_send_chunk(kind="staff-digest", cohort_id=cohort.pk, number=3, ids=[coach.pk], now=WEEK_3)
    [message] = [m for m in mail.outbox if m.to == ["coach@example.org"]]
    return message


def test_the_digest_counts_the_groups_it_lists(cohort):
    for name in ("Night owls", "Early birds", "Weekenders"):
        group = StudyGroupFactory(cohort=cohort, name=name)
        for enrollment in enrol(cohort, 3):  # none has logged anything by week 3: all at risk
            Membership.objects.create(enrollment=enrollment, group=group)
    message = staff_digest(cohort)
    assert "five" not in message.body
    assert "The 3 groups with the largest share of their members at risk (of groups of 3 or more):\n- " in message.body
    assert "The 3 groups with the largest share" in message.alternatives[0][0]


def test_one_group_is_called_the_group(cohort):
    group = StudyGroupFactory(cohort=cohort, name="Night owls")
    for enrollment in enrol(cohort, 3):
        Membership.objects.create(enrollment=enrollment, group=group)
    assert "The group with the largest share of its members at risk (of groups of 3 or more):\n- Night owls: 3 of 3" in staff_digest(cohort).body


def test_the_change_since_last_week_comes_from_the_hourly_snapshots(cohort):
    enrol(cohort, 2)
    for hour in range(0, 24 * 8, 1):  # the hourly beat, through the week before
        cohort_snapshots_take(now=WEEK_3 - dt.timedelta(hours=hour))
    enrol(cohort, 1)  # one more since
    message = staff_digest(cohort)
    assert "with the change since last week:" in message.body
    assert "- enrolled: 3 (+1)" in message.body and "- at risk: 3 (+1)" in message.body and "- finished all lessons: 0 (unchanged)" in message.body
    html = message.alternatives[0][0]
    assert "+1 since last week" in html and "–" not in html


def test_without_a_snapshot_of_that_very_day_the_latest_before_it_stands_in_named(cohort):
    enrol(cohort, 2)
    cohort_snapshot_take(cohort=cohort, now=WEEK_3 - dt.timedelta(days=9))  # the worker was down for two days after
    enrol(cohort, 2)
    message = staff_digest(cohort)
    assert "with the change since Thursday 14 November:" in message.body and "- enrolled: 4 (+2)" in message.body
    assert "+2 since 14 Nov" in message.alternatives[0][0]


def test_without_any_snapshot_it_says_so_once_instead_of_a_column_of_dashes(cohort):
    enrol(cohort, 2)
    message = staff_digest(cohort)
    assert "No change since last week can be shown: there is no snapshot of these figures from a week ago" in message.body
    assert "none has been taken yet" in message.body
    html = message.alternatives[0][0]
    assert "–" not in html and html.count("No change since last week can be shown") == 1


def test_snapshots_begun_since_last_week_are_named(cohort):
    enrol(cohort, 2)
    cohort_snapshot_take(cohort=cohort, now=WEEK_3 - dt.timedelta(days=3))
    assert "(they began on Wednesday 20 November)" in staff_digest(cohort).body
