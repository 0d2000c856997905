import pytest
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import LessonProgress
from tests.factories import StudyLogFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_lesson_list_shows_all_ten_in_order_with_the_students_hours(student_client, enrollment):
    StudyLogFactory(enrollment=enrollment, lesson=Lesson.objects.get(number=4), minutes=150)
    page = student_client.get(reverse("lessons:list"))
    html = page.content.decode()
    positions = [html.index(f"{lesson.number}. {lesson.title}") for lesson in Lesson.objects.all()]
    assert positions == sorted(positions) and len(positions) == 10
    assert text_of(page, "lesson-4-hours") == "2 h 30 min"
    assert text_of(page, "lesson-2-hours") == "0 min"


def test_marking_a_lesson_done_and_not_done(student_client, enrollment):
    url = reverse("lessons:mark", args=["introduction-to-pytorch"])
    student_client.post(url, {"done": "1"})
    progress = LessonProgress.objects.get(enrollment=enrollment)
    assert progress.lesson.number == 4
    assert progress.completed_on == local_today(time_zone=enrollment.time_zone)
    student_client.post(url, {"done": "1"})  # a second click changes nothing
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1
    assert "Done" in student_client.get(reverse("lessons:list")).content.decode()
    student_client.post(url, {"done": "0"})
    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


def test_lesson_page_shows_units_and_estimate(student_client):
    html = student_client.get(reverse("lessons:detail", args=["introduction-to-neural-networks"])).content.decode()
    assert "Luis Serrano" in html
    assert "Gradient descent" in html
    assert "about 22 h" in html


def test_unknown_lesson_is_404(student_client):
    assert student_client.get(reverse("lessons:detail", args=["no-such-lesson"])).status_code == 404
    assert student_client.post(reverse("lessons:mark", args=["no-such-lesson"]), {"done": "1"}).status_code == 404
