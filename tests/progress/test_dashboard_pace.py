"""The pace cards a student sees: plan status, safe days and forecast, from real requests."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import LessonProgress
from progress.services.plans import schedule_build
from progress.services.versions import dashboard_version_bump
from tests.factories import StudyLogFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def plan_from_opening(enrollment, hours="4"):
    cohort = enrollment.cohort
    cutoff_day = enrollment.cohort.cutoff_at.date()
    schedule_build(
        enrollment=enrollment, starts_on=cohort.opens_on, target_on=cutoff_day - dt.timedelta(days=7),
        weekday_hours=Decimal(hours), weekend_hours=Decimal(hours), days_off=[], accept_after_cutoff=True,
    )


def test_without_a_plan_the_dashboard_invites_one(student_client):
    page = student_client.get(reverse("progress:dashboard"))
    assert text_of(page, "plan-status") == "No plan yet"
    assert b"Make a study plan" in page.content


def test_status_turns_from_behind_to_ahead_as_the_student_logs(student_client, enrollment):
    plan_from_opening(enrollment)
    today = local_today(time_zone=enrollment.time_zone)
    elapsed = (today - enrollment.cohort.opens_on).days  # the plan expected 4 h on each of these days
    before = text_of(student_client.get(reverse("progress:dashboard")), "plan-status")
    assert before == f"Behind by {elapsed} days"
    # Lessons 1, 2 and 4 studied for their full estimates; lessons 3, 5, 6 and 7 marked done.
    for offset, number in enumerate((1, 2, 4)):
        lesson = Lesson.objects.get(number=number)
        StudyLogFactory(enrollment=enrollment, lesson=lesson, day=today - dt.timedelta(days=offset), minutes=lesson.estimated_minutes)
    for number in (3, 5, 6, 7):
        LessonProgress.objects.create(enrollment=enrollment, lesson=Lesson.objects.get(number=number), completed_on=today)
    # Those rows went in around the services (a full estimate in one day is over a log's 24 h), so move the
    # dashboard's version on as a data fix must.
    dashboard_version_bump(enrollment_ids=[enrollment.pk])
    after = text_of(student_client.get(reverse("progress:dashboard")), "plan-status")
    # Lessons 1-7 are 104 h of the plan: 26 days at 4 h, and the plan expected `elapsed` days.
    assert after == f"Ahead by {26 - elapsed} days"


def test_safe_days_and_forecast_on_the_page(student_client, enrollment):
    plan_from_opening(enrollment, hours="8")
    today = local_today(time_zone=enrollment.time_zone)
    for offset in range(7):
        StudyLogFactory(enrollment=enrollment, day=today - dt.timedelta(days=offset), minutes=120, lesson=Lesson.objects.get(number=2))
    page = student_client.get(reverse("progress:dashboard"))
    # 166 h less 14 h logged on lesson 2 (22 h estimate) leaves 152 h: 19 days at 8 h.
    cutoff_day = enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)).date()
    assert text_of(page, "safe-days") == str((cutoff_day - today).days - 18)
    # 120 min a day for 7 days: 152 h takes 76 more days.
    assert text_of(page, "forecast") == f"{today + dt.timedelta(days=76):%-d %b}"
    assert "after the cut-off" in page.content.decode()
    assert "after the cut-off" in text_of_overall(page)


def text_of_overall(page) -> str:
    html = page.content.decode()
    return html.split('data-testid="forecast-overall">', 1)[1].split("</p>", 1)[0]


def test_everything_done_says_finished(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    for lesson in Lesson.objects.all():
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson, completed_on=today)
    page = student_client.get(reverse("progress:dashboard"))
    assert text_of(page, "forecast") == "Finished"
    assert text_of(page, "safe-days") == "Done"
