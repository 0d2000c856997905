"""A student has one running timer at most: the database says so, and two starts at once make one timer."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lessons.models import Lesson
from tests.factories import EnrollmentFactory
from tests.helpers import at_once, held_until_both_read
from timers import services
from timers.models import StudyTimer
from timers.services import timer_start


@pytest.mark.django_db
def test_the_database_refuses_a_second_running_timer(at_noon, lesson_2, lesson_3):
    now = timezone.now()
    StudyTimer.objects.create(enrollment=at_noon, lesson=lesson_2, started_at=now, stops_at=now + dt.timedelta(hours=1))
    with pytest.raises(IntegrityError, match="one_running_timer_per_enrollment"), transaction.atomic():
        StudyTimer.objects.create(enrollment=at_noon, lesson=lesson_3, started_at=now, stops_at=now + dt.timedelta(hours=1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("second_lesson", [2, 3])
def test_two_starts_at_once_make_one_timer_and_no_error(monkeypatch, second_lesson):
    enrollment = EnrollmentFactory(time_zone="UTC")
    now = timezone.now().replace(hour=12)  # midday in UTC: no 04:00 stop nor midnight in the way
    # Hold each start just after it has looked for a running timer, until the other has looked too (or a second has
    # passed). Without the enrollment's lock both find none and both insert; with it the second looks only after the
    # first has committed.
    held_until_both_read(monkeypatch, services, "timer_for_enrollment")
    outcomes: list[str] = []

    def start(number):
        try:
            started = timer_start(enrollment=enrollment, lesson=Lesson.objects.get(number=number), now=now)
            outcomes.append("started" if started.created else "already running")
        except Exception as exc:  # an IntegrityError here would be a 500 for the student
            outcomes.append(f"error: {type(exc).__name__}")

    at_once(*[lambda number=number: start(number) for number in (2, second_lesson)])

    assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
    assert StudyTimer.objects.filter(enrollment=enrollment).count() == 1
