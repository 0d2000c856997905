"""A student's study logs and lessons as they stand for them."""

import datetime as dt

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from lessons.models import Lesson

from ..models import Enrollment, LessonProgress, StudyLog
from ..standing import remaining_minutes_by_lesson


def study_log_get_for_user(*, user, log_id: int) -> StudyLog:
    """A log the user owns; anyone else's is indistinguishable from a missing one."""
    try:
        return StudyLog.objects.select_related("lesson", "enrollment__cohort").get(pk=log_id, enrollment__user=user)
    except StudyLog.DoesNotExist as exc:
        raise Http404("No such study log.") from exc


def study_logs_for_enrollment(*, enrollment: Enrollment) -> QuerySet[StudyLog]:
    return StudyLog.objects.filter(enrollment=enrollment).select_related("lesson").order_by("-day", "-lesson__number")


def study_logs_on_day(*, enrollment: Enrollment, day: dt.date) -> list[StudyLog]:
    """The student's logs on one day (one per lesson, so at most ten), in no order; call inside the locking transaction."""
    return list(StudyLog.objects.filter(enrollment=enrollment, day=day).order_by())


def lesson_current_for_enrollment(*, enrollment: Enrollment) -> Lesson | None:
    """The first lesson, in course order, the student has not marked done (the log form's suggestion)."""
    done = LessonProgress.objects.filter(enrollment=enrollment).values("lesson_id")
    return Lesson.objects.exclude(pk__in=done).order_by("number").first()


def lessons_with_progress(*, enrollment: Enrollment) -> list[Lesson]:
    """Every lesson, each with `.logged_minutes` and `.completed_on` for this student (one query)."""
    minutes = (
        StudyLog.objects.filter(enrollment=enrollment, lesson=OuterRef("pk"))
        .values("lesson")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    completed = LessonProgress.objects.filter(enrollment=enrollment, lesson=OuterRef("pk")).values("completed_on")
    return list(
        Lesson.objects.annotate(
            logged_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), 0),
            completed_on=Subquery(completed[:1]),
        ).order_by("number")
    )


def lesson_minutes_remaining(*, enrollment: Enrollment) -> list[tuple[int, int]]:
    return remaining_minutes_by_lesson(lessons_with_progress(enrollment=enrollment))
