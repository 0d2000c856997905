""""Start studying" from the dashboard, a lesson's row on the lessons page, and the log form."""

import re

import pytest
from django.urls import reverse

from progress.services.study_logs import lesson_progress_set
from timers.models import StudyTimer

pytestmark = pytest.mark.django_db


def form_posting_to(html: str, action: str) -> dict[str, str]:
    """The fields of the first form on the page that posts to `action` (inputs and selected options)."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields.update(re.findall(r'<select[^>]*name="([^"]+)".*?<option value="([^"]+)" selected>', form, re.S))
    return fields


def test_the_dashboard_card_starts_the_first_lesson_not_done_and_then_offers_stop_and_discard(client, at_noon, lessons):
    lesson_progress_set(enrollment=at_noon, lesson=lessons[0], done=True)
    client.force_login(at_noon.user)
    dashboard = client.get(reverse("progress:dashboard")).text
    fields = form_posting_to(dashboard, reverse("timers:start"))
    assert fields["lesson"] == str(lessons[1].pk) and fields["next"] == reverse("progress:dashboard")

    page = client.post(reverse("timers:start"), fields, follow=True)

    timer = StudyTimer.objects.get(enrollment=at_noon)
    assert timer.lesson == lessons[1]
    assert page.resolver_match.view_name == "progress:dashboard"
    card = page.text.split('data-testid="timer-card"', 1)[1].split("</section>", 1)[0]
    assert f"Timing {lessons[1]}" in card
    assert reverse("timers:stop", args=[timer.pk]) in card and reverse("timers:discard", args=[timer.pk]) in card


def test_a_lessons_row_starts_a_timer_on_that_lesson(client, at_noon, lessons):
    client.force_login(at_noon.user)
    html = client.get(reverse("lessons:list")).text
    rows = re.findall(r'<input type="hidden" name="lesson" value="(\d+)">', html)
    assert rows == [str(lesson.pk) for lesson in lessons]  # one per row

    page = client.post(reverse("timers:start"), {"lesson": lessons[4].pk, "next": reverse("lessons:list")}, follow=True)

    assert StudyTimer.objects.get(enrollment=at_noon).lesson == lessons[4]
    assert page.resolver_match.view_name == "lessons:list"
    assert f'data-testid="lesson-{lessons[4].number}-timing"' in page.text
    assert f"Timing {lessons[4]}." in page.text


def test_the_log_form_starts_a_timer_on_the_lesson_picked_in_it(client, at_noon, lessons):
    client.force_login(at_noon.user)
    html = client.get(reverse("progress:log_create")).text
    button = re.search(r'<button type="submit"[^>]*formaction="([^"]+)"[^>]*>Start a timer', html)
    assert button and button.group(1) == reverse("timers:start")
    # The button sends the log form itself, with the lesson picked in its menu.
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    log_form = {
        "csrfmiddlewaretoken": csrf, "day": "", "lesson": lessons[6].pk, "minutes": "", "community_minutes": "", "notes": "",
    }

    page = client.post(button.group(1), log_form, follow=True)

    assert StudyTimer.objects.get(enrollment=at_noon).lesson == lessons[6]
    assert page.resolver_match.view_name == "timers:page"


def test_a_start_with_a_lesson_that_does_not_exist_says_so(client, at_noon):
    client.force_login(at_noon.user)
    for value in ("", "abc", "999999", "99999999999999999999", "1\x00"):
        page = client.post(reverse("timers:start"), {"lesson": value}, follow=True)
        assert page.status_code == 200 and "Pick a lesson to time." in page.text, value
    assert not StudyTimer.objects.exists()
