"""The 24 h rule must hold when two saves for one student's day race each other."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import StudyLog
from progress.services import study_logs
from progress.services.study_logs import study_log_save
from tests.factories import EnrollmentFactory
from tests.helpers import at_once, held_until_both_read


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_saves_can_not_together_pass_24_hours(monkeypatch):
    enrollment = EnrollmentFactory()
    day = local_today(time_zone=enrollment.time_zone)
    lessons = [Lesson.objects.get(number=2), Lesson.objects.get(number=3)]

    # Hold each save just after it has read the day's total, until the other
    # save has read it too (or a second has passed). Without a lock both read
    # zero and both write 14 h; with the lock the second can not read until
    # the first has committed.
    held_until_both_read(monkeypatch, study_logs, "study_logs_on_day")
    outcomes: list[str] = []

    def save(lesson):
        try:
            study_log_save(enrollment=enrollment, day=day, lesson=lesson, minutes=14 * 60)
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append("refused: " + " ".join(exc.messages))

    at_once(*[lambda lesson=lesson: save(lesson) for lesson in lessons])

    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "saved"], outcomes
    logged = sum(log.minutes for log in StudyLog.objects.filter(enrollment=enrollment, day=day))
    assert logged == 14 * 60


def _run_at_once(count, target):
    start = threading.Barrier(count, timeout=10)
    results: list[str] = []

    def run(index):
        try:
            start.wait()
            results.append(target(index))
        except ValidationError as exc:
            results.append("refused: " + " ".join(exc.messages))
        except Exception as exc:  # anything else would be a 500 for the student
            results.append(f"error: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_identical_submissions_at_once_leave_one_row_and_no_error():
    enrollment = EnrollmentFactory()
    day = local_today(time_zone=enrollment.time_zone)
    lesson = Lesson.objects.get(number=2)

    def submit(_):
        log, created = study_log_save(enrollment=enrollment, day=day, lesson=lesson, minutes=90)
        return "created" if created else "edited"

    results = _run_at_once(20, submit)
    assert not [r for r in results if r.startswith(("error", "refused"))], results
    assert sorted(set(results)) == ["created", "edited"] and results.count("created") == 1
    assert StudyLog.objects.filter(enrollment=enrollment, day=day).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_threads_adding_logs_to_one_day_can_not_pass_24_hours():
    enrollment = EnrollmentFactory()
    day = local_today(time_zone=enrollment.time_zone)
    lessons = list(Lesson.objects.order_by("number"))

    def add(index):
        study_log_save(enrollment=enrollment, day=day, lesson=lessons[index], minutes=5 * 60)
        return "saved"

    results = _run_at_once(10, add)
    assert not [r for r in results if r.startswith("error")], results
    assert results.count("saved") == 4  # 4 x 5 h fit in a day, a fifth does not
    total = sum(StudyLog.objects.filter(enrollment=enrollment, day=day).values_list("minutes", flat=True))
    assert total == 20 * 60
