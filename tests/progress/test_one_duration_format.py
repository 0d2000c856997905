"""Every duration on a student's pages reads the same way, hours and minutes ("3 h 30 min"): no decimal hours
("3.5 h", "12.5 h") beside it, and no minutes past the hour left as minutes ("141 min")."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from lessons.models import Lesson
from progress.services.plans import schedule_build
from progress.services.rollups import rollups_refresh
from tests.factories import EnrollmentFactory, StudyLogFactory

pytestmark = pytest.mark.django_db

OTHER_FORMATS = re.compile(r"\b\d+\.\d+ ?h\b|\b(?:[6-9]\d|\d{3,}) min\b")


def shown_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def student(client):
    Lesson.objects.filter(number=6).update(estimated_hours=Decimal("12.5"))
    enrollment = EnrollmentFactory(weekday_goal_hours=Decimal("3.5"), weekend_goal_hours=Decimal("5.0"))
    opens = enrollment.cohort.opens_on
    StudyLogFactory(enrollment=enrollment, day=opens, minutes=141, lesson=Lesson.objects.get(number=6))
    schedule_build(
        enrollment=enrollment, starts_on=opens, target_on=opens + dt.timedelta(days=50), weekday_hours=Decimal("3.5"),
        weekend_hours=Decimal("5"), days_off=[], accept_after_cutoff=True,
    )
    rollups_refresh(enrollment_ids=[enrollment.pk])
    client.force_login(enrollment.user)
    return enrollment


def test_the_dashboard_gives_the_goal_and_the_lesson_estimates_in_hours_and_minutes(client, student):
    text = shown_text(client.get(reverse("progress:dashboard")))
    assert "Your goal: 3 h 30 min on weekdays, 5 h at weekends." in text
    assert "2 h 21 min / 12 h 30 min" in text  # lesson 6: logged / estimate


def test_the_lesson_pages_give_the_estimate_in_hours_and_minutes(client, student):
    assert "about 12 h 30 min" in shown_text(client.get(reverse("lessons:list")))
    assert "about 12 h 30 min" in shown_text(client.get(reverse("lessons:detail", kwargs={"slug": Lesson.objects.get(number=6).slug})))


@pytest.mark.parametrize("url_name", ["progress:dashboard", "lessons:list", "progress:schedule", "progress:log_list", "progress:profile"])
def test_no_page_mixes_in_another_duration_format(client, student, url_name):
    text = shown_text(client.get(reverse(url_name)))
    assert not OTHER_FORMATS.findall(text), OTHER_FORMATS.findall(text)
