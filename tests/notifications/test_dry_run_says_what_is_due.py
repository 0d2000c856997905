"""A dry run of the email commands always says how many emails are due, "0 due" included: silence read as a
broken command (`send_weekly_digests --dry-run` without --now printed nothing)."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import Notification
from progress.models import Cohort
from progress.services.rollups import rollups_refresh
from tests.factories import CohortFactory, EnrollmentFactory

# Opens Saturday 9 Nov 2030: week 3 starts Saturday 23 Nov, its digest at 09:00 in the student's zone.
OPENS = dt.date(2030, 11, 9)
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")


@pytest.fixture
def students(db):
    cohort = CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, time_zone="UTC")
    enrollments = [EnrollmentFactory(cohort=cohort, time_zone="UTC", user__email=f"s{n}@example.org") for n in range(2)]
    rollups_refresh(enrollment_ids=[enrollment.pk for enrollment in enrollments])
    return enrollments


def dry_run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, "--dry-run", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("command", ["send_weekly_digests", "send_deadline_reminders"])
def test_a_dry_run_with_nothing_due_says_0_due(students, command):
    output = dry_run(command)  # the real time: no occasion of the 2030 cohort is due
    assert "Dry run at " in output and ": 0 due; nothing was sent or recorded." in output
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_dry_run_at_a_due_time_lists_who_and_counts_them(students):
    output = dry_run("send_weekly_digests", "--now", "2030-11-23T09:00:00Z")
    assert "would send to s0@example.org" in output and "would send to s1@example.org" in output
    assert "Dry run at 2030-11-23T09:00:00+00:00: 2 due; nothing was sent or recorded." in output
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_dry_run_before_the_hour_says_0_due(students):
    output = dry_run("send_weekly_digests", "--now", "2030-11-23T08:30:00Z")
    assert "Dry run at 2030-11-23T08:30:00+00:00: 0 due; nothing was sent or recorded." in output
