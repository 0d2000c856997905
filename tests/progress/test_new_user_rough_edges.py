"""What a new user tripped over: an email contradicting itself, wording that assumed a plan, a lesson
marked done that was not handed in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.models import Lesson
from notifications.models import Notification
from notifications.selectors import contexts_for_chunk
from notifications.services.sending import notification_message
from progress import planning
from progress.models import LessonProgress
from progress.selectors.standing import student_standing
from progress.services.plans import schedule_build
from review.services.enrollment_import import enrollment_file_validate, enrollment_import_apply, enrollment_import_create
from tests.factories import StudyLogFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def reminder_for(enrollment) -> str:
    context = contexts_for_chunk(
        kind=Notification.Kind.DEADLINE_REMINDER, cohort=enrollment.cohort, number=7, ids=[enrollment.pk],
        now=timezone.now(),
    )[0]
    return notification_message(kind=Notification.Kind.DEADLINE_REMINDER, to_user=enrollment.user, context=context).body


@pytest.mark.parametrize(
    ("days_ahead", "forecast_in_time", "expected", "on_course"),
    [
        (8, True, "You are on track, 8 days ahead of your plan.", True),
        (1, False, "You are on track, 1 day ahead of your plan.", True),
        (0, True, "You are on track with your plan.", True),
        (-3, True, "You are behind your plan by 3 days.", False),
        (None, True, "You are on track: without a plan yet, your recent pace finishes before the cut-off.", True),
        (None, False, "You are behind: without a plan yet, your recent pace does not finish before the cut-off.", False),
    ],
)
def test_one_rule_gives_the_tone_and_the_words(days_ahead, forecast_in_time, expected, on_course):
    cutoff = dt.date(2027, 1, 9)
    verdict = planning.verdict(
        is_finished=False, days_ahead=days_ahead, forecast_finish=cutoff - dt.timedelta(days=1 if forecast_in_time else -1),
        cutoff_day=cutoff,
    )
    assert (verdict.headline, verdict.on_course) == (expected, on_course)


def test_an_idle_student_ahead_of_plan_is_told_both_without_contradiction(enrollment):
    cohort = enrollment.cohort
    schedule_build(
        enrollment=enrollment, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=55),
        weekday_hours=Decimal("0.5"), weekend_hours=Decimal("0.5"), days_off=[], accept_after_cutoff=True,
    )
    lessons = list(Lesson.objects.order_by("number"))
    for offset, lesson in enumerate(lessons[:6]):
        StudyLogFactory(enrollment=enrollment, day=cohort.opens_on + dt.timedelta(days=offset), lesson=lesson, minutes=600)
    standing = student_standing(enrollment=enrollment)
    assert standing.pace.days_ahead > 0 and standing.risk_reasons  # ahead, and idle for weeks
    body = reminder_for(enrollment)
    assert f"You are on track, {standing.pace.days_ahead} days ahead of your plan." in body
    assert "Watch out: no study log in the last" in body
    assert "You are behind" not in body


def test_a_student_without_a_plan_reads_about_goal_hours_not_planned_ones(student_client, enrollment):
    enrollment.weekday_goal_hours = enrollment.weekend_goal_hours = Decimal("0.1")
    enrollment.save()
    html = student_client.get(reverse("progress:dashboard")).content.decode()
    assert text_of(student_client.get(reverse("progress:dashboard")), "safe-days") == "0"
    assert "Even at your goal hours every day" in html and "planned hours" not in html


def test_the_challenge_project_is_finished_by_handing_it_in_not_by_a_button(student_client, enrollment):
    final = Lesson.objects.get(is_final_project=True)
    page = student_client.get(reverse("lessons:list")).content.decode()
    assert "Hand in your project" in page
    response = student_client.post(reverse("lessons:mark", kwargs={"slug": final.slug}), {"done": "1"}, follow=True)
    assert "Hand in your project on the project page" in response.content.decode()
    assert not LessonProgress.objects.filter(enrollment=enrollment, lesson=final).exists()
    student_client.post(reverse("progress:project"), {"url": "https://github.com/me/flowers", "description": "", "score": ""})
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=final).exists()
    student_client.post(reverse("lessons:mark", kwargs={"slug": final.slug}), {"done": "0"})
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=final).exists()


def test_a_student_enrolled_from_a_file_can_reset_a_password_they_never_set(client, cohort, mailoutbox):
    rows = enrollment_file_validate(text="email,full name,time zone\nlate@example.org,Late Starter,UTC\n")
    enrollment_import_apply(import_id=enrollment_import_create(cohort=cohort, rows=rows).pk)
    mailoutbox.clear()  # the set-password link, say it ran out
    assert client.post(reverse("accounts:password_reset"), {"email": "late@example.org"}).status_code == 302
    assert [message.to for message in mailoutbox] == [["late@example.org"]]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    path = link[link.index("/accounts/reset/"):]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "a-fresh-start-2026", "new_password2": "a-fresh-start-2026"})
    assert client.post(reverse("accounts:login"), {"username": "late@example.org", "password": "a-fresh-start-2026"}).status_code == 302
