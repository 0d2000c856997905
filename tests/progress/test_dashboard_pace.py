"""The pace cards a student sees: plan status, safe days and forecast, from real requests."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import LessonProgress
from progress.services.plans import schedule_build
from progress.services.rollups import rollups_refresh
from tests.factories import LessonProgressFactory, StudyLogFactory
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
    # Those rows went in around the services (a full estimate in one day is over a log's 24 h), so recompute
    # the stored numbers as a data fix must.
    rollups_refresh(enrollment_ids=[enrollment.pk])
    after = text_of(student_client.get(reverse("progress:dashboard")), "plan-status")
    # Lessons 1-7 are 104 h of the plan: 26 days at 4 h, and the plan expected `elapsed` days.
    assert after == f"Ahead by {26 - elapsed} days"


def verdict_of(page) -> str:
    match = re.search(r'data-testid="verdict" data-verdict="([^"]*)"', page.content.decode())
    assert match, "no verdict card on the page"
    return match.group(1)


def cutoff_day_of(enrollment) -> dt.date:
    return enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)).date()


def test_safe_days_and_forecast_on_the_page(student_client, enrollment):
    plan_from_opening(enrollment, hours="8")
    today = local_today(time_zone=enrollment.time_zone)
    for offset in range(7):
        StudyLogFactory(enrollment=enrollment, day=today - dt.timedelta(days=offset), minutes=120, lesson=Lesson.objects.get(number=2))
    for number in (5, 7, 10):  # 28 + 20 + 40 h marked done
        LessonProgressFactory(enrollment=enrollment, lesson=Lesson.objects.get(number=number), completed_on=today)
    page = student_client.get(reverse("progress:dashboard"))
    # 166 h less 88 h marked done and 14 h logged on lesson 2 (22 h estimate) leaves 64 h: 8 days at 8 h.
    cutoff_day = cutoff_day_of(enrollment)
    assert text_of(page, "safe-days") == str((cutoff_day - today).days - 7)
    # 120 min a day for the last 7 days: 64 h takes 32 more days, before the cut-off (about 41 days away).
    assert text_of(page, "forecast") == f"{today + dt.timedelta(days=32):%-d %b}"
    assert "before the cut-off" in page.content.decode() and "after the cut-off" not in page.content.decode()
    # 102 h of the plan done (88 marked, 14 logged) is under 13 of its 8-hour days; it expected the 20 since the opening.
    assert verdict_of(page) == "behind"
    assert text_of(page, "verdict-label") == "Behind plan, finishing in time"


def test_a_forecast_after_the_cutoff_puts_the_student_at_risk_with_no_safe_days(student_client, enrollment):
    plan_from_opening(enrollment, hours="8")
    today = local_today(time_zone=enrollment.time_zone)
    for offset in range(7):
        StudyLogFactory(enrollment=enrollment, day=today - dt.timedelta(days=offset), minutes=120, lesson=Lesson.objects.get(number=2))
    page = student_client.get(reverse("progress:dashboard"))
    # 166 h less 14 h logged on lesson 2 leaves 152 h; at 120 min a day it takes 76 more days.
    finish = today + dt.timedelta(days=76)
    assert finish > cutoff_day_of(enrollment)
    assert text_of(page, "forecast") == f"{finish:%-d %b}"
    assert "after the cut-off" in page.content.decode()
    assert verdict_of(page) == "at-risk"
    assert text_of(page, "verdict-label") == "At risk"
    assert text_of(page, "verdict-headline") == (
        f"You are at risk of missing the cut-off: forecast finish {finish.day} {finish:%b}, after the cut-off."
    )
    assert text_of(page, "safe-days") == "–"  # never a green number beside "at risk"


def test_everything_done_says_finished(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    for lesson in Lesson.objects.all():
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson, completed_on=today)
    rollups_refresh(enrollment_ids=[enrollment.pk])
    page = student_client.get(reverse("progress:dashboard"))
    assert verdict_of(page) == "finished"
    assert text_of(page, "verdict-label") == "Finished"
    assert text_of(page, "verdict-headline") == f"You finished every lesson on {today.day} {today:%B}."
    assert text_of(page, "forecast") == "Finished"
    assert text_of(page, "safe-days") == "–"


def test_every_lesson_logged_to_its_estimate_but_not_marked_done_is_not_finished(student_client, enrollment):
    """Finished means every lesson marked done; logging the estimates alone leaves the last marks to make."""
    today = local_today(time_zone=enrollment.time_zone)
    day = today
    for lesson in Lesson.objects.order_by("number"):
        left = lesson.estimated_minutes
        while left:  # 12 h a day at most, one day after another back from today
            StudyLogFactory(enrollment=enrollment, lesson=lesson, day=day, minutes=min(left, 720))
            left -= min(left, 720)
            day -= dt.timedelta(days=1)
    assert day >= enrollment.cohort.opens_on
    page = student_client.get(reverse("progress:dashboard"))
    assert verdict_of(page) == "on-track"
    assert text_of(page, "forecast") != "Finished"
    assert text_of(page, "lessons-done") == "0/10"


def test_a_student_whose_recent_pace_finishes_in_time_is_not_shown_a_red_zero_for_safe_days(client, cohort):
    """Safe days count the goal hours; a student on track at a faster recent pace sees why it is not a number."""
    from decimal import Decimal

    from lessons.models import Lesson
    from progress.selectors.enrollments import enrollment_today
    from progress.services.study_logs import study_log_save
    from tests.factories import EnrollmentFactory
    from tests.helpers import text_of

    student = EnrollmentFactory(cohort=cohort, weekday_goal_hours=Decimal("0.5"), weekend_goal_hours=Decimal("0.5"))
    today = enrollment_today(enrollment=student)
    for back in range(7):
        for number in (2, 4):
            study_log_save(enrollment=student, day=today - dt.timedelta(days=back), lesson=Lesson.objects.get(number=number), minutes=600)
    client.force_login(student.user)
    page = client.get("/dashboard/")
    assert 'data-verdict="on-track"' in page.content.decode()
    assert text_of(page, "safe-days") == "–"
    assert "your pace of the last 7 days does" in page.content.decode()
