"""A student has one running timer at most: the database says so, and two starts at once make one timer."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lessons.models import Lesson
from tests.factories import EnrollmentFactory
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
    both_have_looked = threading.Barrier(2, timeout=1.5)
    look = services.timer_for_enrollment

    def look_then_wait(**kwargs):
        found = look(**kwargs)
        try:
            both_have_looked.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(services, "timer_for_enrollment", look_then_wait)
    outcomes: list[str] = []

    def start(number):
        try:
            started = timer_start(enrollment=enrollment, lesson=Lesson.objects.get(number=number), now=now)
            outcomes.append("started" if started.created else "already running")
        except Exception as exc:  # an IntegrityError here would be a 500 for the student
            outcomes.append(f"error: {type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(number,)) for number in (2, second_lesson)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
    assert StudyTimer.objects.filter(enrollment=enrollment).count() == 1
