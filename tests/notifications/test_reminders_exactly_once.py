"""Deadline reminders: at 09:00 in each student's zone, exactly once, never skipped."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import Lesson
from notifications.models import Notification
from notifications.services import sending as notification_service
from notifications.services.dispatch import notifications_dispatch
from notifications.services.sending import notifications_send_chunk
from progress.models import Cohort, LessonProgress, StudyLog
from progress.services.rollups import rollups_refresh
from tests.factories import CohortFactory, EnrollmentFactory

UTC = dt.UTC
ZONES = ["America/Los_Angeles", "UTC", "Asia/Kolkata", "Pacific/Tongatapu"]
# Cut-off 23:59 on 9 Jan 2031 in California = 07:59 UTC on 10 Jan.
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")
# Each zone's 09:00 on its "7 days before" day, in UTC.
EXPECTED_SEND = {
    "America/Los_Angeles": dt.datetime(2031, 1, 2, 17, 0, tzinfo=UTC),  # cut-off day 9 Jan there
    "UTC": dt.datetime(2031, 1, 3, 9, 0, tzinfo=UTC),
    "Asia/Kolkata": dt.datetime(2031, 1, 3, 3, 30, tzinfo=UTC),
    "Pacific/Tongatapu": dt.datetime(2031, 1, 2, 20, 0, tzinfo=UTC),
}


def make_cohort(**overrides):
    return CohortFactory(opens_on=dt.date(2030, 11, 9), cutoff_at=CUTOFF, reminder_days_before=[7], **overrides)


def make_student(cohort, zone, **kwargs):
    kwargs.setdefault("user__email", f"{zone.replace('/', '-').lower()}@example.com")
    enrollment = EnrollmentFactory(cohort=cohort, time_zone=zone, **kwargs)
    rollups_refresh(enrollment_ids=[enrollment.pk])
    return enrollment


def run_reminders(now):
    def send(occasion, ids):
        if occasion.kind == Notification.Kind.DEADLINE_REMINDER:
            notifications_send_chunk(kind=occasion.kind, cohort_id=occasion.cohort.pk, number=occasion.number, ids=ids, now=now)

    notifications_dispatch(now=now, send=send)


def after_the_lease(at):
    """A moment when a claim taken at `at` by a worker that died has run out."""
    return at + dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS + 60)


def reminders_to(address):
    return [m for m in mail.outbox if m.to == [address] and "days left" in m.subject]


@pytest.mark.django_db
def test_each_zone_gets_the_7_day_reminder_at_its_own_0900_exactly_once_over_two_days():
    cohort = make_cohort()
    students = {zone: make_student(cohort, zone) for zone in ZONES}
    first_seen = {}
    step = dt.datetime(2031, 1, 2, 0, 0, tzinfo=UTC)
    while step < dt.datetime(2031, 1, 4, 0, 0, tzinfo=UTC):
        run_reminders(step)
        for zone, enrollment in students.items():
            if zone not in first_seen and reminders_to(enrollment.user.email):
                first_seen[zone] = step
        step += dt.timedelta(minutes=15)
    assert first_seen == EXPECTED_SEND
    for enrollment in students.values():
        assert len(reminders_to(enrollment.user.email)) == 1
    assert Notification.objects.filter(state="sent", occasion="deadline-7d").count() == 4


@pytest.mark.django_db
def test_running_the_job_twice_sends_nothing_more():
    cohort = make_cohort()
    student = make_student(cohort, "UTC")
    at = EXPECTED_SEND["UTC"]
    run_reminders(at)
    run_reminders(at)
    run_reminders(at + dt.timedelta(hours=2))
    assert len(reminders_to(student.user.email)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_chunk_tasks_for_the_same_students_at_once_send_each_email_once():
    cohort = make_cohort()
    students = [make_student(cohort, "UTC", user__email=f"twin{n}@example.com") for n in range(6)]
    ids = [s.pk for s in students]
    at = EXPECTED_SEND["UTC"]
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait(timeout=5)
        try:
            notifications_send_chunk(kind="deadline", cohort_id=cohort.pk, number=7, ids=ids, now=at)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for student in students:
        assert len(reminders_to(student.user.email)) == 1
    assert Notification.objects.filter(state="sent").count() == 6


@pytest.mark.django_db
def test_a_crash_half_way_through_a_chunk_then_a_rerun_after_the_lease_skips_no_one(monkeypatch):
    cohort = make_cohort()
    students = [make_student(cohort, "UTC", user__email=f"crash{n}@example.com") for n in range(6)]
    at = EXPECTED_SEND["UTC"]
    real_message = notification_service.notification_message
    calls = {"n": 0}

    def crash_on_fourth(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("worker killed")
        return real_message(**kwargs)

    monkeypatch.setattr(notification_service, "notification_message", crash_on_fourth)
    with pytest.raises(RuntimeError):
        run_reminders(at)
    assert len(mail.outbox) == 3
    monkeypatch.setattr(notification_service, "notification_message", real_message)
    run_reminders(at + dt.timedelta(minutes=1))  # the lease still holds: nothing yet
    assert len(mail.outbox) == 3
    run_reminders(after_the_lease(at))
    for student in students:
        assert len(reminders_to(student.user.email)) == 1


@pytest.mark.django_db
def test_a_crash_after_the_mail_server_took_a_message_resends_it_with_the_same_message_id(monkeypatch):
    """The one window the ledger cannot close: the copy carries the same Message-ID, so the inbox shows one."""
    cohort = make_cohort()
    students = [make_student(cohort, "UTC", user__email=f"window{n}@example.com") for n in range(3)]
    at = EXPECTED_SEND["UTC"]
    real_connection = notification_service.get_connection

    class DiesAfterTheSecondAccept:
        def send_messages(self, messages):
            mail.outbox.extend(messages)
            if len(mail.outbox) == 2:
                raise RuntimeError("worker killed before marking the row sent")
            return len(messages)

    monkeypatch.setattr(notification_service, "get_connection", lambda: DiesAfterTheSecondAccept())
    with pytest.raises(RuntimeError):
        run_reminders(at)
    monkeypatch.setattr(notification_service, "get_connection", real_connection)
    run_reminders(after_the_lease(at))

    ids = {s.user.email: {m.extra_headers["Message-ID"] for m in reminders_to(s.user.email)} for s in students}
    copies = {s.user.email: len(reminders_to(s.user.email)) for s in students}
    assert sorted(copies.values()) == [1, 1, 2]  # the second student's message went out twice...
    assert all(len(message_ids) == 1 for message_ids in ids.values())  # ...as one and the same email
    assert len({next(iter(message_ids)) for message_ids in ids.values()}) == 3
    assert all(message_id.startswith("<deadline-7d.deadline.") for (message_id,) in ids.values())


@pytest.mark.django_db
def test_finished_and_unsubscribed_students_get_no_reminder_but_digest_unsubscribers_do():
    cohort = make_cohort()
    finished = make_student(cohort, "UTC", user__email="finished@example.com")
    for lesson in Lesson.objects.all():
        LessonProgress.objects.create(enrollment=finished, lesson=lesson, completed_on=dt.date(2030, 12, 1))
    rollups_refresh(enrollment_ids=[finished.pk])
    no_reminders = make_student(cohort, "UTC", user__email="quiet@example.com", wants_reminders=False)
    no_digests = make_student(cohort, "UTC", user__email="nodigest@example.com", wants_digests=False)
    run_reminders(EXPECTED_SEND["UTC"])
    assert reminders_to(finished.user.email) == []
    assert reminders_to(no_reminders.user.email) == []
    assert len(reminders_to(no_digests.user.email)) == 1


@pytest.mark.django_db
def test_reminder_says_plainly_what_daily_hours_still_make_it():
    cohort = make_cohort()
    student = make_student(cohort, "Asia/Kolkata")
    run_reminders(EXPECTED_SEND["Asia/Kolkata"])
    message = reminders_to(student.user.email)[0]
    assert "The course closes Friday 10 January 2031 at 13:29 IST your time, in 7 days." in message.body
    # The one verdict and its reason, in the words of every page; then what a day from today still takes.
    assert "At risk. You are at risk of missing the cut-off: no study log at all after week 1." in message.body
    left = sum(lesson.estimated_minutes for lesson in Lesson.objects.all())
    assert left == 166 * 60
    assert "10 lessons and about 166 h left." in message.body
    assert "You have not studied in the last 7 days, so there is no finish to forecast." in message.body
    # 166 h over the 8 days from 3 January to the cut-off day, 10 January, both included: 20 h 45 min a day.
    assert "To finish by the cut-off: about 20 h 45 min a day from today." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/unsubscribe/")
    html = message.alternatives[0][0]
    assert "<script" not in html and "<img" not in html
    assert "#f8d7da" in html and "#d1e7dd" not in html  # an at-risk verdict is red, never green


@pytest.mark.django_db
def test_query_count_per_chunk_does_not_depend_on_what_students_logged():
    cohort = make_cohort()
    light = [make_student(cohort, "UTC", user__email=f"light{n}@example.com") for n in range(4)]
    heavy = [make_student(cohort, "UTC", user__email=f"heavy{n}@example.com") for n in range(4)]
    lessons = list(Lesson.objects.order_by("number"))
    for student in heavy:
        StudyLog.objects.bulk_create(
            StudyLog(enrollment=student, day=cohort.opens_on + dt.timedelta(days=d), lesson=lessons[d % 10], minutes=30)
            for d in range(50)
        )
    counts = []
    for group, number in ((light, 7), (heavy, 6)):
        with CaptureQueriesContext(connection) as captured:
            notifications_send_chunk(kind="deadline", cohort_id=cohort.pk, number=number, ids=[s.pk for s in group], now=EXPECTED_SEND["UTC"])
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # A fixed set for the chunk, then one short transaction per email marking it sent (here, inside the
    # test's transaction: savepoint, SET LOCAL synchronous_commit, UPDATE, release).
    assert counts[0] <= 12 + 4 * len(light)


@pytest.mark.django_db
def test_reminders_are_morning_mail_a_beat_after_noon_sends_nothing_but_the_command_catches_up():
    cohort = make_cohort()
    student = make_student(cohort, "UTC")
    run_reminders(dt.datetime(2031, 1, 3, 12, 0, tzinfo=UTC))
    assert reminders_to(student.user.email) == []
    run_reminders(dt.datetime(2031, 1, 3, 11, 45, tzinfo=UTC))
    assert len(reminders_to(student.user.email)) == 1
