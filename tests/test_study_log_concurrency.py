"""The 24 h rule must hold when two saves for one student's day race each other."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lessons.models import Lesson
from progress import selectors, services
from progress.models import StudyLog
from scholarship.timezones import local_today
from tests.factories import EnrollmentFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_saves_can_not_together_pass_24_hours(monkeypatch):
    enrollment = EnrollmentFactory()
    day = local_today(time_zone=enrollment.time_zone)
    lessons = [Lesson.objects.get(number=2), Lesson.objects.get(number=3)]

    # Hold each save just after it has read the day's total, until the other
    # save has read it too (or a second has passed). Without a lock both read
    # zero and both write 14 h; with the lock the second can not read until
    # the first has committed.
    both_have_read = threading.Barrier(2, timeout=1.5)
    read_total = selectors.study_log_day_total_minutes

    def read_then_wait(**kwargs):
        total = read_total(**kwargs)
        try:
            both_have_read.wait()
        except threading.BrokenBarrierError:
            pass
        return total

    monkeypatch.setattr(selectors, "study_log_day_total_minutes", read_then_wait)
    outcomes: list[str] = []

    def save(lesson):
        try:
            services.study_log_save(enrollment=enrollment, day=day, lesson=lesson, minutes=14 * 60)
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append("refused: " + " ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(lesson,)) for lesson in lessons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "saved"], outcomes
    logged = sum(log.minutes for log in StudyLog.objects.filter(enrollment=enrollment, day=day))
    assert logged == 14 * 60
