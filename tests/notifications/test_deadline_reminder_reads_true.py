"""The 14-day reminder: its recent pace is the last 7 days' (the verdict's), each figure is said once, a student
behind their plan is shown the way to re-plan, and every duration is written one way ("2 h 21 min")."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail

from common.timezones import hours_display
from lessons.models import Lesson
from notifications.services.dispatch import notifications_dispatch
from notifications.services.sending import notifications_send_chunk
from progress.models import Cohort, StudyLog
from progress.selectors.numbers import dashboard_for_enrollment
from progress.services.plans import schedule_build
from progress.services.rollups import rollups_refresh
from tests.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OPENS = dt.date(2030, 11, 9)
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")  # 10 Jan in UTC
FOURTEEN_DAYS_BEFORE = dt.datetime(2030, 12, 27, 9, 0, tzinfo=UTC)


def reminder_for(student):
    def send(occasion, ids):
        notifications_send_chunk(kind=occasion.kind, cohort_id=occasion.cohort.pk, number=occasion.number, ids=ids, now=FOURTEEN_DAYS_BEFORE)

    notifications_dispatch(now=FOURTEEN_DAYS_BEFORE, send=send)
    [message] = [m for m in mail.outbox if m.to == [student.user.email]]
    return message


@pytest.fixture
def slowed_down():
    """Two hours a day through November on a plan of four, then 20 minutes a day in the last week."""
    cohort = CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, reminder_days_before=[14], time_zone="UTC")
    student = EnrollmentFactory(cohort=cohort, time_zone="UTC", user__email="slow@example.org")
    schedule_build(enrollment=student, starts_on=OPENS, target_on=dt.date(2031, 1, 5), weekday_hours=Decimal(4),
                   weekend_hours=Decimal(4), days_off=[], accept_after_cutoff=True)
    lesson = Lesson.objects.get(number=3)
    days = [OPENS + dt.timedelta(days=n) for n in range(22)] + [dt.date(2030, 12, 21) + dt.timedelta(days=n) for n in range(7)]
    StudyLog.objects.bulk_create(StudyLog(enrollment=student, day=day, lesson=lesson, minutes=20 if day.month == 12 else 120) for day in days)
    rollups_refresh(enrollment_ids=[student.pk])
    return student


def test_the_recent_pace_is_the_last_7_days_and_the_daily_need_is_said_once(slowed_down):
    message = reminder_for(slowed_down)
    status = dashboard_for_enrollment(enrollment=slowed_down, now=FOURTEEN_DAYS_BEFORE).status
    assert status.pace_7_days == 20  # 140 minutes over the last 7 days; since the start it would be about 55 a day
    assert "Your recent pace: 20 min a day over the last 7 days." in message.body
    assert "20 min a day" in message.alternatives[0][0]
    needed = dashboard_for_enrollment(enrollment=slowed_down, now=FOURTEEN_DAYS_BEFORE).standing.needed_per_day_by_cutoff
    assert message.body.count(f"{hours_display(needed)} a day") == 1
    lines = [line for line in message.body.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), "a line said twice"
    forecast = status.forecast  # late: the headline gives it; the pace line does not say it again
    assert len(re.findall(rf"\b{forecast.day} {forecast:%b}", message.body)) == 1


def test_a_student_behind_their_plan_is_shown_where_to_re_plan(slowed_down):
    message = reminder_for(slowed_down)
    status = dashboard_for_enrollment(enrollment=slowed_down, now=FOURTEEN_DAYS_BEFORE).status
    assert status.days_ahead < 0
    behind = -status.days_ahead
    [line] = [line for line in message.body.splitlines() if "behind your plan by" in line]
    assert f"behind your plan by {behind} days" in line and "Re-plan from today" in line and "/schedule/" in line
    html = message.alternatives[0][0]
    replan = html[html.index('data-section="replan"'):]
    replan = replan[:replan.index("</p>")]
    assert f"behind your plan by {behind} days" in replan and 'href="http://127.0.0.1:8000/schedule/"' in replan


def test_every_duration_in_the_reminder_is_written_in_hours_and_minutes(slowed_down):
    message = reminder_for(slowed_down)
    for text in (message.body, message.alternatives[0][0], message.subject):
        assert not [m for m in re.findall(r"\b(\d+) min\b", text) if int(m) >= 60], text
