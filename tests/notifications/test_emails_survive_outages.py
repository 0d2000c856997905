"""Nothing dispatched is dropped: chunks lost with the broker's queue, or failed by a database blip, go out
again whatever the time of day, until sent or, a day on, given up and shown to staff."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from notifications import tasks as notifications_tasks
from notifications.models import Notification
from notifications.services import sending as notification_service
from notifications.services.dispatch import notifications_catch_up, notifications_dispatch
from notifications.services.sending import notifications_send_chunk
from progress import tasks as progress_tasks
from review import tasks as review_tasks
from tests.factories import UserFactory
from tests.notifications.test_reminders_exactly_once import EXPECTED_SEND, make_cohort, make_student, reminders_to

pytestmark = pytest.mark.django_db

AT = EXPECTED_SEND["UTC"]  # 09:00 UTC, seven days before the cut-off
REMINDER = Notification.Kind.DEADLINE_REMINDER


def inline(now):
    """What a worker does with each chunk the beat enqueues, at `now`."""

    def send(kind, cohort_id, number, ids):
        notifications_send_chunk(kind=kind, cohort_id=cohort_id, number=number, ids=ids, now=now)

    return send


def lose_the_queue(occasion, ids):
    """The broker restarted: the chunk tasks the beat enqueued are gone."""


def beat(now):
    """Both beats at `now`: the 15-minute dispatch and the catch-up, with a worker sending what they enqueue."""
    notifications_dispatch(now=now, send=lambda occasion, ids: inline(now)(occasion.kind, occasion.cohort.pk, occasion.number, ids))
    return notifications_catch_up(now=now, send=inline(now))


def lease_over(at, seconds):
    return at + dt.timedelta(seconds=seconds + 1)


@pytest.fixture
def students():
    cohort = make_cohort()
    return [make_student(cohort, "UTC", user__email=f"s{n}@example.com") for n in range(5)]


def test_a_chunk_lost_with_the_queue_goes_out_once_its_dispatch_lease_runs_out(students):
    notifications_dispatch(now=AT, send=lose_the_queue)
    assert Notification.objects.filter(state="claimed", claim_token="").count() == 5 and mail.outbox == []
    assert beat(AT + dt.timedelta(minutes=1)).rows == 0 and mail.outbox == []  # its task may still be queued
    beat(lease_over(AT, settings.NOTIFICATION_DISPATCH_LEASE_SECONDS))
    assert all(len(reminders_to(s.user.email)) == 1 for s in students)


def test_a_chunk_lost_after_the_morning_window_still_goes_out_that_afternoon(students):
    lost_at = AT.replace(hour=11, minute=45)  # the window's last beat dispatches it, then the queue is lost
    notifications_dispatch(now=lost_at, send=lose_the_queue)
    noon = lost_at + dt.timedelta(minutes=15)
    assert notifications_dispatch(now=noon, send=lose_the_queue) == []  # no longer due to the dispatcher
    assert beat(noon + dt.timedelta(minutes=30)).rows == 5  # the catch-up knows no window
    assert all(len(reminders_to(s.user.email)) == 1 for s in students)


def test_within_ten_minutes_of_the_loss_a_lost_chunk_is_out(students):
    """The dispatch lease plus one catch-up interval bound the delay the README promises."""
    assert settings.NOTIFICATION_DISPATCH_LEASE_SECONDS + settings.NOTIFICATION_CATCH_UP_SECONDS <= 15 * 60
    notifications_dispatch(now=AT, send=lose_the_queue)
    beat(AT + dt.timedelta(seconds=settings.NOTIFICATION_DISPATCH_LEASE_SECONDS + settings.NOTIFICATION_CATCH_UP_SECONDS))
    assert len(mail.outbox) == 5


def test_a_database_blip_mid_chunk_is_retried_by_the_same_task_at_once(students, monkeypatch):
    real_mark = notification_service._mark_sent
    marks = {"n": 0}

    def blip_on_third(**kwargs):
        marks["n"] += 1
        if marks["n"] == 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real_mark(**kwargs)

    monkeypatch.setattr(notification_service, "_mark_sent", blip_on_third)
    ids = [s.pk for s in students]
    with pytest.raises(OperationalError):
        notifications_send_chunk(kind=REMINDER, cohort_id=students[0].cohort_id, number=7, ids=ids, now=AT, claim_token="task-1")
    assert len(mail.outbox) == 3  # the third went out; its row was not marked
    later = AT + dt.timedelta(minutes=1)  # well inside the claim lease
    other = notifications_send_chunk(kind=REMINDER, cohort_id=students[0].cohort_id, number=7, ids=ids, now=later, claim_token="task-2")
    assert other == 0  # another task leaves the claimed rows alone
    resumed = notifications_send_chunk(kind=REMINDER, cohort_id=students[0].cohort_id, number=7, ids=ids, now=later, claim_token="task-1")
    assert resumed == 3  # the retry takes its own claims back: the unmarked third again, then the last two
    assert all(len({m.extra_headers["Message-ID"] for m in reminders_to(s.user.email)}) == 1 for s in students)
    assert Notification.objects.filter(state="sent").count() == 5


def test_the_chunk_task_retries_database_and_broker_errors_with_one_claim_token(students, monkeypatch):
    calls = []
    real_send = notifications_send_chunk

    def fail_twice(**kwargs):
        calls.append(kwargs["claim_token"])
        if len(calls) == 1:
            raise OperationalError("the database is restarting")
        if len(calls) == 2:
            raise ConnectionError("Redis closed the connection")
        return real_send(**{**kwargs, "now": AT})

    monkeypatch.setattr(notifications_tasks.sending, "notifications_send_chunk", fail_twice)
    result = notifications_tasks.notifications_send_chunk.apply(args=(REMINDER, students[0].cohort_id, 7, [s.pk for s in students]))
    assert result.successful() and result.result == 5
    assert len(calls) == 3 and len(set(calls)) == 1


def test_the_dispatch_and_catch_up_tasks_retry_service_errors():
    for task in (
        notifications_tasks.notifications_dispatch, notifications_tasks.notifications_catch_up, notifications_tasks.notifications_send_chunk,
        progress_tasks.rollup_rebuild_run, review_tasks.enrollment_import_apply,
    ):
        assert {OperationalError, ConnectionError} <= set(task.autoretry_for), task.name


def test_unsent_rows_a_day_old_are_given_up_and_shown_to_staff(students, client):
    notifications_dispatch(now=AT, send=lose_the_queue)
    caught = beat(AT + dt.timedelta(hours=settings.NOTIFICATION_EXPIRE_HOURS, minutes=1))
    assert (caught.expired, caught.rows) == (5, 0)
    assert all(reminders_to(s.user.email) == [] for s in students)
    assert Notification.objects.filter(state="expired").count() == 5
    client.force_login(UserFactory(is_staff=True))
    cohort = students[0].cohort
    page = client.get(reverse("cohort:dashboard") + f"?cohort={cohort.slug}").content.decode()
    assert "5 emails were given up" in page
    drill_down = client.get(reverse("cohort:student", kwargs={"enrollment_id": students[0].pk})).content.decode()
    assert "given up" in drill_down


def test_the_command_takes_over_dispatched_rows_whose_tasks_were_lost(students):
    notifications_dispatch(now=AT, send=lose_the_queue)
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)  # the real time: long after the window
    assert "Took over 5 unsent email(s)" in out.getvalue()
    assert all(len(reminders_to(s.user.email)) == 1 for s in students)
    call_command("send_deadline_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 5
