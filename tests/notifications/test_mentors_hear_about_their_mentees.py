"""A mentor's weekly email names their groups' members at risk and links to /mentor/: the student digest of a
mentor who studies in the cohort, and the staff digest of a staff mentor."""

import datetime as dt

import pytest
from django.core import mail

from groups.models import Mentorship
from lessons.models import Lesson
from notifications.services.sending import notifications_send_chunk
from progress.models import Cohort, StudyLog
from progress.services.rollups import rollups_refresh
from tests.factories import CohortFactory, EnrollmentFactory, StudyGroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OPENS = dt.date(2030, 11, 9)
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")
WEEK_3 = dt.datetime(2030, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def group(db):
    cohort = CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, time_zone="UTC")
    group = StudyGroupFactory(cohort=cohort, name="Night owls")
    member_of(group, time_zone="UTC", user__full_name="Sam Never")  # never logged by week 3: at risk
    member_of(group, time_zone="UTC", user__full_name="Alex Never")
    busy = member_of(group, time_zone="UTC", user__full_name="Busy Bee")
    lesson = Lesson.objects.get(number=2)
    StudyLog.objects.bulk_create(StudyLog(enrollment=busy, day=dt.date(2030, 11, 22) - dt.timedelta(days=n), lesson=lesson, minutes=300)
                                 for n in range(7))
    rollups_refresh(enrollment_ids=[busy.pk])
    return group


def test_a_mentor_who_studies_reads_their_mentees_at_risk_in_their_digest(group):
    maya = EnrollmentFactory(cohort=group.cohort, time_zone="UTC", user__full_name="Maya Mentor", user__email="maya@example.org")
    Mentorship.objects.create(group=group, mentor=maya.user)
    plain = EnrollmentFactory(cohort=group.cohort, time_zone="UTC", user__email="plain@example.org")
    notifications_send_chunk(kind="digest", cohort_id=group.cohort_id, number=3, ids=[maya.pk, plain.pk], now=WEEK_3)
    sent = {m.to[0]: m for m in mail.outbox}
    body = sent["maya@example.org"].body
    assert "As a mentor of Night owls: 2 members are at risk today:" in body
    line = next(line for line in body.splitlines() if line.startswith("As a mentor"))
    assert "Sam Never" in line and "Alex Never" in line and "Busy Bee" not in line and "http://127.0.0.1:8000/mentor/" in line
    html = sent["maya@example.org"].alternatives[0][0]
    assert "2 members are at risk" in html and 'href="http://127.0.0.1:8000/mentor/"' in html
    assert "As a mentor" not in sent["plain@example.org"].body


def test_a_staff_mentor_reads_them_in_the_staff_digest(group):
    coach = UserFactory(is_staff=True, email="coach@example.org", full_name="Cora Coach")
    other = UserFactory(is_staff=True, email="other@example.org")
    Mentorship.objects.create(group=group, mentor=coach)
    notifications_send_chunk(kind="staff-digest", cohort_id=group.cohort_id, number=3, ids=[coach.pk, other.pk], now=WEEK_3)
    sent = {m.to[0]: m for m in mail.outbox}
    assert "As a mentor of Night owls: 2 members are at risk today:" in sent["coach@example.org"].body
    assert "As a mentor" not in sent["other@example.org"].body


def test_a_mentor_with_no_one_at_risk_is_told_so(group):
    quiet = StudyGroupFactory(cohort=group.cohort, name="Early birds")
    maya = EnrollmentFactory(cohort=group.cohort, time_zone="UTC", user__email="maya@example.org")
    Mentorship.objects.create(group=quiet, mentor=maya.user)
    notifications_send_chunk(kind="digest", cohort_id=group.cohort_id, number=3, ids=[maya.pk], now=WEEK_3)
    assert "As a mentor of Early birds: no one is at risk today." in mail.outbox[0].body
