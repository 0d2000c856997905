"""Reads of the course catalogue: the one place the lessons and their count are read."""

from .models import Lesson


def lessons_in_course_order() -> list[Lesson]:
    """Every lesson, first to last."""
    return list(Lesson.objects.order_by("number"))


def lesson_count() -> int:
    return Lesson.objects.count()


def final_project_lesson() -> Lesson | None:
    """The challenge project, the lesson finished by handing it in."""
    return Lesson.objects.filter(is_final_project=True).order_by("number").first()
