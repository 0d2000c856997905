"""A student's pages run the same number of queries with 5 logs or 500."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Lesson
from progress.models import StudyLog
from progress.selectors.enrollments import enrollment_today
from progress.selectors.reflection import summary_current_week
from progress.services.plans import schedule_build
from progress.services.reflection import weekly_summary_save
from tests.factories import EnrollmentFactory, LessonProgressFactory

pytestmark = pytest.mark.django_db

# the session (from the database), the user, their current enrollment (read once a request, on first use), the
# running timer the header shows (timers), whether they mentor a group (the menu's link to the mentor's page), then
# the page's own reads
PAGES = [
    ("progress:dashboard", 16),  # 11, the group card's and the next events' look-ups, and the timer card's lessons
    ("progress:schedule", 10),  # 5, and the verdict from the stored numbers
    ("progress:log_list", 7),
    ("lessons:list", 6),
    ("progress:log_create", 7),  # 3, the lesson the form suggests and the lesson menu
    ("progress:profile", 9),  # 4, the chat-link panel (the link or its code) and the API tokens panel (the tokens)
    ("progress:summary_list", 6),
    ("progress:community_summaries", 7),
    ("events:list", 7),  # 3, the upcoming and the past events
]


def student_with_logs(count: int):
    enrollment = EnrollmentFactory()
    lessons = list(Lesson.objects.order_by("number"))
    opens = enrollment.cohort.opens_on
    StudyLog.objects.bulk_create(
        StudyLog(
            enrollment=enrollment,
            day=opens + dt.timedelta(days=index // len(lessons)),
            lesson=lessons[index % len(lessons)],
            minutes=20,
            notes=f"note {index}",
        )
        for index in range(count)
    )
    for lesson in lessons[:3]:
        LessonProgressFactory(enrollment=enrollment, lesson=lesson)
    week = summary_current_week(enrollment=enrollment)
    for number in range(1, week + 1):
        weekly_summary_save(enrollment=enrollment, week_number=number, body=f"week {number}", is_shared=True)
    schedule_build(
        enrollment=enrollment, starts_on=opens, target_on=opens + dt.timedelta(days=50),
        weekday_hours=Decimal("4"), weekend_hours=Decimal("5"), days_off=[opens + dt.timedelta(days=3)],
        accept_after_cutoff=True,
    )
    return enrollment


def queries_for(client, url_name: str, enrollment) -> int:
    client.force_login(enrollment.user)
    client.get(reverse(url_name))  # warm the per-process caches (content types, lessons' metadata)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(url_name)).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url_name", "ceiling"), PAGES)
def test_page_query_count_does_not_grow_with_the_number_of_logs(client, url_name, ceiling, django_assert_max_num_queries):
    few = queries_for(client, url_name, student_with_logs(5))
    many_student = student_with_logs(500)
    client.force_login(many_student.user)
    with django_assert_max_num_queries(ceiling):
        assert client.get(reverse(url_name)).status_code == 200
    assert queries_for(client, url_name, many_student) == few


def test_posting_a_log_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """Session, user, enrollment, the lesson chosen, then the save: the enrollment's lock, that day's logs, the write,
    and the student's stored numbers recomputed in the same transaction (the enrollment, their logs, completions,
    plan and its items, project, the lessons, one upsert), with the savepoint around the save."""
    enrollment = student_with_logs(500)
    client.force_login(enrollment.user)
    today = enrollment_today(enrollment=enrollment)
    StudyLog.objects.filter(enrollment=enrollment, day=today).delete()  # room in the day for the posts below
    url = reverse("progress:log_create")
    client.post(url, {"day": today.isoformat(), "lesson": 1, "minutes": "20m"})  # warm the per-process caches
    for lesson in (2, 2, 3):  # a new log, the same slot again (an edit), another lesson
        with django_assert_max_num_queries(17):
            response = client.post(url, {"day": today.isoformat(), "lesson": lesson, "minutes": "20m"})
        assert response.status_code == 302
    assert sorted(StudyLog.objects.filter(enrollment=enrollment, day=today).values_list("lesson__number", flat=True)) == [1, 2, 3]
