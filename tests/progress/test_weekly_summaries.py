import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lessons.models import Lesson
from progress.models import Cohort, LessonProgress, WeeklySummary
from progress.selectors.reflection import summary_current_week, weekly_summary_draft
from progress.services.reflection import weekly_summary_save
from tests.factories import CohortFactory, EnrollmentFactory, StudyLogFactory
from tests.helpers import audit, form_errors, text_of

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def reference_cohort():
    # Opens Friday 9 November 2018, so week 2 runs Fri 16 to Thu 22 Nov.
    return CohortFactory(
        opens_on=D(2018, 11, 9),
        cutoff_at=Cohort.cutoff_from_local(day=D(2019, 1, 9), time_zone="America/Los_Angeles"),
    )


def lesson(number):
    return Lesson.objects.get(number=number)


def test_draft_is_built_from_that_weeks_logs_only(reference_cohort):
    enrollment = EnrollmentFactory(cohort=reference_cohort, time_zone="UTC")
    StudyLogFactory(enrollment=enrollment, day=D(2018, 11, 15), lesson=lesson(1), minutes=45, notes="week one, not in the draft")
    StudyLogFactory(enrollment=enrollment, day=D(2018, 11, 16), lesson=lesson(3), minutes=30, notes="\n  Eager *mode* chat")
    StudyLogFactory(enrollment=enrollment, day=D(2018, 11, 16), lesson=lesson(2), minutes=90, notes="Backprop clicked\nsecond line")
    StudyLogFactory(enrollment=enrollment, day=D(2018, 11, 17), lesson=lesson(2), minutes=60, community_minutes=30)
    LessonProgress.objects.create(enrollment=enrollment, lesson=lesson(2), completed_on=D(2018, 11, 17))
    draft = weekly_summary_draft(enrollment=enrollment, week_number=2)
    assert draft.startswith("## Week 2 (16 Nov to 22 Nov)")
    assert "I studied **3 h** on 2 days, plus 30 min of community time." in draft
    assert (
        "### Hours per lesson\n\n- Lesson 2: Introduction to Neural Networks: 2 h 30 min\n"
        "- Lesson 3: Talking PyTorch with Soumith Chintala: 30 min\n"
    ) in draft
    assert "### Lessons completed\n\n- Lesson 2: Introduction to Neural Networks (Sat 17 Nov)" in draft
    assert "- Fri 16 Nov: Backprop clicked" in draft  # the day's first note, in lesson order
    assert "Eager" not in draft
    assert "second line" not in draft and "week one" not in draft
    assert "### What I learnt" in draft


def test_draft_of_an_empty_week_says_so(reference_cohort):
    enrollment = EnrollmentFactory(cohort=reference_cohort)
    assert "I logged no study time this week." in weekly_summary_draft(enrollment=enrollment, week_number=3)


@pytest.mark.parametrize(
    ("time_zone", "expected_week"),
    [("America/Los_Angeles", 1), ("Pacific/Tongatapu", 2), ("UTC", 2)],
)
def test_the_current_week_follows_the_students_zone(reference_cohort, time_zone, expected_week):
    # 07:30 UTC on 16 Nov: still 23:30 on the 15th in California (UTC-8), already 20:30 on the 16th in Tonga (UTC+13).
    now = dt.datetime(2018, 11, 16, 7, 30, tzinfo=dt.UTC)
    enrollment = EnrollmentFactory(cohort=reference_cohort, time_zone=time_zone)
    assert summary_current_week(enrollment=enrollment, now=now) == expected_week
    if expected_week == 1:
        with pytest.raises(ValidationError):
            weekly_summary_save(enrollment=enrollment, week_number=2, body="too early", is_shared=False, now=now)
    else:
        weekly_summary_save(enrollment=enrollment, week_number=2, body="fine", is_shared=False, now=now)


def test_after_the_course_the_last_week_stays_the_latest(reference_cohort):
    enrollment = EnrollmentFactory(cohort=reference_cohort, time_zone="UTC")
    later = dt.datetime(2019, 3, 1, tzinfo=dt.UTC)
    assert summary_current_week(enrollment=enrollment, now=later) == 9  # 10 Jan 2019 is in week 9


def test_write_page_opens_with_the_draft_previews_then_saves(student_client, enrollment):
    week = summary_current_week(enrollment=enrollment)
    url = reverse("progress:summary_write", args=[week])
    assert f"## Week {week}" in student_client.get(url).content.decode()
    preview = student_client.post(url, {"body": "**Bold** claim", "action": "preview"})
    assert "<strong>Bold</strong>" in text_of_preview(preview)
    assert not WeeklySummary.objects.exists()
    saved = student_client.post(url, {"body": "**Bold** claim", "is_shared": "on", "action": "save"})
    assert saved.status_code == 302
    summary = WeeklySummary.objects.get(enrollment=enrollment, week_number=week)
    assert (summary.body, summary.is_shared) == ("**Bold** claim", True)
    listing = student_client.get(reverse("progress:summary_list"))
    assert text_of(listing, f"week-{week}-state") == "Written, shared with the cohort"


def text_of_preview(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="preview">', 1)[1].split("</div>", 1)[0]


def test_an_empty_summary_is_a_form_error(student_client, enrollment):
    week = summary_current_week(enrollment=enrollment)
    response = student_client.post(reverse("progress:summary_write", args=[week]), {"body": "   ", "action": "save"})
    assert form_errors(response)
    assert not WeeklySummary.objects.exists()


def test_a_week_that_has_not_begun_is_404(student_client, enrollment):
    week = summary_current_week(enrollment=enrollment)
    assert student_client.get(reverse("progress:summary_write", args=[week + 1])).status_code == 404
    assert student_client.get(reverse("progress:summary_write", args=[0])).status_code == 404


def test_private_summaries_never_reach_other_students(client, cohort):
    author = EnrollmentFactory(cohort=cohort)
    week = summary_current_week(enrollment=author)
    weekly_summary_save(enrollment=author, week_number=week, body="my private doubts", is_shared=False)
    reader = EnrollmentFactory(cohort=cohort)
    client.force_login(reader.user)
    assert b"my private doubts" not in client.get(reverse("progress:community_summaries")).content
    own_page = client.get(reverse("progress:summary_write", args=[week])).content
    assert b"my private doubts" not in own_page  # the same week number is the reader's own summary


def test_shared_summaries_show_to_the_cohort_newest_first_and_not_to_other_cohorts(client, cohort):
    first, second = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    week = summary_current_week(enrollment=first)
    weekly_summary_save(enrollment=first, week_number=week, body="older shared note", is_shared=True)
    weekly_summary_save(enrollment=second, week_number=week, body="newer shared note", is_shared=True)
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    html = client.get(reverse("progress:community_summaries")).content.decode()
    assert html.index("newer shared note") < html.index("older shared note")
    client.force_login(EnrollmentFactory(cohort=CohortFactory()).user)
    assert b"shared note" not in client.get(reverse("progress:community_summaries")).content


def test_shared_summaries_are_sanitised_on_the_community_page(client, cohort):
    author = EnrollmentFactory(cohort=cohort)
    week = summary_current_week(enrollment=author)
    weekly_summary_save(
        enrollment=author, week_number=week, body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
        is_shared=True,
    )
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    html = client.get(reverse("progress:community_summaries")).content.decode()
    # A line opening with <script> is raw HTML to CommonMark: the sanitiser drops the tag and keeps the
    # rest as text, so "javascript:alert(1)" may show as words, never as a link or a handler.
    assert "<script>alert" not in html and "onerror" not in html
    assert audit(html) == []
