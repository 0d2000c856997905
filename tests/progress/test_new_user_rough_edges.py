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
from progress import planning, standing
from progress.models import LessonProgress
from progress.selectors.numbers import student_standing
from progress.services.plans import schedule_build
from progress.standing import RiskReason
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


TODAY = dt.date(2027, 1, 1)
CUTOFF = dt.date(2027, 1, 9)
RULES = standing.Rules(opens_on=dt.date(2026, 11, 9), idle_days=5, silent_weeks=1, cutoff_day=CUTOFF)


def numbers_of(*, days_ahead, forecast_in_time) -> standing.StoredNumbers:
    """An hour a day for the last 7 days up to today; 5 h left finishes on the 6th, 12 h on the 13th (cut-off the 9th)."""
    recent, remaining = (60,) * 7, 60 * (5 if forecast_in_time else 12)
    plan = {}
    if days_ahead is not None:
        # The plan expects its running total up to yesterday; the work reached `days_ahead` days past that.
        plan = dict(
            has_plan=True, plan_starts_on=dt.date(2026, 12, 1), plan_ends_on=dt.date(2027, 1, 31),
            plan_reached_on=TODAY - dt.timedelta(days=1) + dt.timedelta(days=days_ahead), plan_done=False,
        )
    return standing.StoredNumbers(
        total_minutes=600, days_studied=7, first_study_day=TODAY - dt.timedelta(days=6), last_study_day=TODAY,
        recent_minutes=recent, remaining_minutes=remaining,
        late_from=planning.late_from(remaining_minutes=remaining, recent=recent, last_study_day=TODAY, cutoff_day=CUTOFF),
        **plan,
    )


@pytest.mark.parametrize(
    ("days_ahead", "forecast_in_time", "expected", "verdict", "colour"),
    [
        (8, True, "You are on track, 8 days ahead of your plan.", "on-track", "success"),
        (0, True, "You are on track with your plan.", "on-track", "success"),
        (-3, True, "You are behind your plan by 3 days, but at your recent pace you still finish before the cut-off.", "behind", "warning"),
        (None, True, "You are on track: at your recent pace you finish before the cut-off.", "on-track", "success"),
        # Ahead of a plan that itself ends too late is no comfort: the forecast decides.
        (1, False, "You are at risk of missing the cut-off: forecast finish 13 Jan, after the cut-off.", "at-risk", "danger"),
        (None, False, "You are at risk of missing the cut-off: forecast finish 13 Jan, after the cut-off.", "at-risk", "danger"),
    ],
)
def test_one_rule_gives_the_tone_and_the_words(days_ahead, forecast_in_time, expected, verdict, colour):
    status = standing.status_on(numbers=numbers_of(days_ahead=days_ahead, forecast_in_time=forecast_in_time), rules=RULES, today=TODAY)
    assert (status.headline, status.verdict, status.level) == (expected, verdict, colour)


def test_an_idle_student_ahead_of_plan_is_told_both_without_contradiction(student_client, enrollment):
    cohort = enrollment.cohort
    schedule_build(
        enrollment=enrollment, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=55),
        weekday_hours=Decimal("0.5"), weekend_hours=Decimal("0.5"), days_off=[], accept_after_cutoff=True,
    )
    lessons = list(Lesson.objects.order_by("number"))
    for offset, lesson in enumerate(lessons[:6]):
        StudyLogFactory(enrollment=enrollment, day=cohort.opens_on + dt.timedelta(days=offset), lesson=lesson, minutes=600)
    status = student_standing(enrollment=enrollment).status
    assert status.days_ahead > 0 and status.reasons == (RiskReason.IDLE, RiskReason.LATE)  # ahead, and idle for weeks
    body = reminder_for(enrollment)
    # One verdict, with its reasons: the email says at risk and why, and never "on track" beside it.
    assert f"At risk. You are at risk of missing the cut-off: no study log in the last {status.idle_days} days;" in body
    assert "on track" not in body.lower()
    # The dashboard says the same, and still shows how far ahead of the plan the student is.
    page = student_client.get(reverse("progress:dashboard"))
    assert text_of(page, "verdict-label") == "At risk"
    assert text_of(page, "verdict-headline") == status.headline
    assert text_of(page, "plan-status") == f"Ahead by {status.days_ahead} days"


def test_a_student_without_a_plan_reads_about_goal_hours_not_planned_ones(student_client, enrollment):
    cohort = enrollment.cohort
    cohort.at_risk_silent_weeks = 4  # still in the grace weeks: not at risk for having logged nothing yet
    cohort.save()
    enrollment.weekday_goal_hours = enrollment.weekend_goal_hours = Decimal("0.1")
    enrollment.save()
    page = student_client.get(reverse("progress:dashboard"))
    html = page.content.decode()
    assert text_of(page, "verdict-label") == "On track"
    assert text_of(page, "safe-days") == "0"
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
