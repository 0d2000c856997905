"""Reading timers: the student's running timer as pages show it, and the lessons a timer can start on."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from lessons.models import Lesson
from progress.models import Enrollment, LessonProgress
from progress.selectors.enrollments import enrollment_for_request

from .clock import Reading, timer_reading
from .models import StudyTimer


def timer_for_enrollment(*, enrollment: Enrollment) -> StudyTimer | None:
    """The student's running timer with its lesson, or None (one query)."""
    return StudyTimer.objects.select_related("lesson").filter(enrollment=enrollment).first()


def timer_get_for_user(*, user, timer_id: int) -> StudyTimer | None:
    """The signed-in student's timer `timer_id`; None once it is no longer running (stopped or discarded, perhaps
    on another device), Http404 if it is someone else's."""
    timer = StudyTimer.objects.select_related("lesson", "enrollment__cohort").filter(pk=timer_id).first()
    if timer is None:
        return None  # ids are never reused: a timer that is gone was stopped, and says nothing about anyone
    if timer.enrollment.user_id != user.pk:
        raise Http404("No such timer.")
    return timer


@dataclass(frozen=True)
class TimerShown:
    """A running timer as the header, the dashboard card and the timer page show it, in the student's zone."""

    timer: StudyTimer
    reading: Reading
    time_zone: str
    now: dt.datetime

    @property
    def lesson(self) -> Lesson:
        return self.timer.lesson

    def _local(self, instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def started_label(self) -> str:
        """14:05 today, or Mon 23:10 for a timer started on an earlier local day."""
        started, today = self._local(self.timer.started_at), self._local(self.now).date()
        return f"{started:%H:%M}" if started.date() == today else f"{started:%a %H:%M}"

    @property
    def clock_attributes(self) -> dict[str, str]:
        """The instants static/js/timer.js counts from: the start, the server's now (so a browser's wrong clock
        does not matter) and when it stops itself (where the count stops)."""

        def iso(instant: dt.datetime) -> str:
            return instant.astimezone(dt.UTC).isoformat(timespec="milliseconds")

        return {"started": iso(self.timer.started_at), "now": iso(self.now), "stops": iso(self.reading.stops_at)}

    @property
    def stopped_label(self) -> str:
        """The local time it stopped itself at: 04:00."""
        return f"{self._local(self.reading.stops_at):%H:%M}"


def timer_shown(*, timer: StudyTimer, time_zone: str, now: dt.datetime | None = None) -> TimerShown:
    now = now or timezone.now()
    reading = timer_reading(started_at=timer.started_at, stops_at=timer.stops_at, confirmed_at=timer.confirmed_at, now=now)
    return TimerShown(timer=timer, reading=reading, time_zone=time_zone, now=now)


def timer_for_request(request) -> TimerShown | None:
    """The signed-in student's running timer, read once per request on first use (the header, the dashboard card
    and the lesson rows share it): one query, none for visitors and staff who are not enrolled."""
    if not hasattr(request, "_running_timer"):
        enrollment = enrollment_for_request(request) if getattr(request, "user", None) is not None else None
        timer = timer_for_enrollment(enrollment=enrollment) if enrollment is not None else None
        request._running_timer = timer_shown(timer=timer, time_zone=enrollment.time_zone) if timer is not None else None
    return request._running_timer


def lessons_to_start(*, enrollment: Enrollment) -> tuple[list[Lesson], int | None]:
    """Every lesson in course order, and the one "Start studying" suggests: the first not marked done (one query)."""
    done = LessonProgress.objects.filter(enrollment=enrollment, lesson=OuterRef("pk"))
    lessons = list(Lesson.objects.annotate(is_done=Exists(done)).order_by("number"))
    suggested = next((lesson.pk for lesson in lessons if not lesson.is_done), lessons[-1].pk if lessons else None)
    return lessons, suggested
