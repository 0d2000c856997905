import datetime as dt
import time
import uuid
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lessons.models import Lesson
from notifications import tasks as notifications_tasks
from notifications.models import Notification
from notifications.services.dispatch import notifications_dispatch
from notifications.services.sending import notifications_send_chunk
from notifications.services.unsubscribe import unsubscribe_token
from progress.models import Cohort, Enrollment
from progress.selectors.numbers import dashboard_for_enrollment
from progress.services.study_logs import lesson_progress_set, study_log_save
from progress.services.rollups import rollups_refresh
from progress.standing import RiskReason, Verdict
from scholarship.celery import app as celery_app
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory

UTC = dt.UTC
# Opens Saturday 9 Nov 2030: week 3 starts Saturday 23 Nov.
OPENS = dt.date(2030, 11, 9)
CUTOFF = Cohort.cutoff_from_local(day=dt.date(2031, 1, 9), time_zone="America/Los_Angeles")
WEEK_3_AT_0900_UTC = dt.datetime(2030, 11, 23, 9, 0, tzinfo=UTC)


def run_digests(now):
    def send(occasion, ids):
        if occasion.kind != Notification.Kind.DEADLINE_REMINDER:
            notifications_send_chunk(kind=occasion.kind, cohort_id=occasion.cohort.pk, number=occasion.number, ids=ids, now=now)

    notifications_dispatch(now=now, send=send)


@pytest.fixture
def cohort(db):
    return CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, time_zone="UTC")


def student(cohort, email, **kwargs):
    enrollment = EnrollmentFactory(cohort=cohort, time_zone="UTC", user__email=email, **kwargs)
    rollups_refresh(enrollment_ids=[enrollment.pk])
    return enrollment


@pytest.mark.django_db
def test_student_digest_for_last_week_matches_the_dashboard(cohort):
    ada = student(cohort, "ada@example.org")
    for day, minutes in ((dt.date(2030, 11, 17), 90), (dt.date(2030, 11, 18), 150), (dt.date(2030, 11, 21), 60)):
        study_log_save(enrollment=ada, day=day, lesson=Lesson.objects.get(number=2), minutes=minutes, now=WEEK_3_AT_0900_UTC)
    lesson_progress_set(enrollment=ada, lesson=Lesson.objects.get(number=1), done=True, now=dt.datetime(2030, 11, 20, 12, tzinfo=UTC))
    run_digests(WEEK_3_AT_0900_UTC - dt.timedelta(minutes=15))
    assert mail.outbox == []  # not before 09:00
    run_digests(WEEK_3_AT_0900_UTC)
    run_digests(WEEK_3_AT_0900_UTC + dt.timedelta(minutes=15))
    digests = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert len(digests) == 1
    body = digests[0].body
    dashboard = dashboard_for_enrollment(enrollment=ada, now=WEEK_3_AT_0900_UTC)
    status = dashboard.status
    # Week 2 runs 16-22 Nov: 5 h on 3 days.
    assert "Week 2 (16 Nov to 22 Nov): you studied 5 h on 3 days, against a goal of 27 h 30 min." in body
    assert "Lessons completed: 1. Welcome to the Scholarship Challenge." in body
    # The dashboard's verdict, in its words: 5 h in the last 7 days leaves 159 h for months, after the cut-off.
    assert (status.verdict, status.reasons) == (Verdict.AT_RISK, (RiskReason.LATE,))
    assert f"{status.verdict.label}. {status.headline}\n" in body
    assert (
        f"Lessons done so far: {dashboard.numbers.lessons_done} of 10. Current streak: {dashboard.standing.streak_days} days."
        f" Plan: {status.plan_words}.\n"
    ) in body
    assert f"forecast finish {status.forecast.day} {status.forecast:%b}, after the cut-off" in status.headline
    assert "Forecast finish:" not in body  # the headline said it: not twice
    assert "You have not written your week 2 summary yet" in body and "/summaries/2/" in body


@pytest.mark.django_db
def test_digest_unsubscribers_get_no_digest_and_staff_get_the_cohort_digest(cohort):
    student(cohort, "quiet@example.org", wants_digests=False)
    student(cohort, "keen@example.org")
    UserFactory(email="coach@example.org", is_staff=True)
    UserFactory(email="muted-coach@example.org", is_staff=True, wants_cohort_digest=False)
    run_digests(WEEK_3_AT_0900_UTC)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["coach@example.org", "keen@example.org"]
    staff_mail = next(m for m in mail.outbox if m.to == ["coach@example.org"])
    assert "at risk" in staff_mail.subject
    assert "/cohort/?cohort=" in staff_mail.body and "show=at_risk" in staff_mail.body
    assert "The most common reasons" in staff_mail.body


@pytest.mark.django_db
def test_the_staff_digest_counts_each_student_in_one_verdict_as_the_cohort_page_does(cohort):
    from progress.services.reflection import project_submit
    from review.selectors.cohorts import cohort_headline

    student(cohort, "never@example.org")  # no log at all in week 3: at risk
    busy = student(cohort, "busy@example.org")
    for back in range(1, 8):  # 4 h a day to Friday: at the 24 h of the last 7 days, the 138 h left take 41 days, done on 2 January
        study_log_save(enrollment=busy, day=dt.date(2030, 11, 23) - dt.timedelta(days=back), lesson=Lesson.objects.get(number=2 + back % 2),
                       minutes=240, now=WEEK_3_AT_0900_UTC)
    done = student(cohort, "done@example.org")
    for lesson in Lesson.objects.filter(is_final_project=False):
        lesson_progress_set(enrollment=done, lesson=lesson, done=True, now=WEEK_3_AT_0900_UTC)
    project_submit(enrollment=done, url="https://github.com/done/flowers", description="", score=None, now=WEEK_3_AT_0900_UTC)
    UserFactory(email="coach@example.org", is_staff=True)
    run_digests(WEEK_3_AT_0900_UTC)
    body = next(m for m in mail.outbox if m.to == ["coach@example.org"]).body
    headline = cohort_headline(cohort=cohort, now=WEEK_3_AT_0900_UTC)
    assert (headline.enrolled, headline.at_risk, headline.behind, headline.on_track, headline.finished) == (3, 1, 0, 1, 1)
    for line in ("- enrolled: 3", "- at risk: 1", "- behind plan, finishing in time: 0", "- on track: 1", "- finished all lessons: 1"):
        assert line in body
    assert "1 student at risk. The most common reasons:\n- no study log at all: 1" in body


@pytest.mark.django_db
def test_the_staff_digest_names_the_groups_at_risk_on_its_own_day(cohort):
    """The digest of week 3 counts each group's members at risk on week 3's day, as its headline does, not on the
    day the email happens to be rendered."""
    from groups.models import Membership

    from tests.factories import StudyGroupFactory

    group = StudyGroupFactory(cohort=cohort, name="Night owls")
    for n in range(3):  # none of them has logged anything by week 3
        Membership.objects.create(enrollment=student(cohort, f"owl{n}@example.org"), group=group)
    UserFactory(email="coach@example.org", is_staff=True)
    run_digests(WEEK_3_AT_0900_UTC)
    body = next(m for m in mail.outbox if m.to == ["coach@example.org"]).body
    assert "3 students at risk." in body
    assert "The group with the largest share of its members at risk (of groups of 3 or more):\n- Night owls: 3 of 3" in body


@pytest.mark.django_db
def test_unsubscribe_get_asks_post_acts_without_a_session_and_tampering_is_refused(cohort):
    keen = student(cohort, "keen@example.org")
    token = unsubscribe_token(user_id=keen.user_id, kind="digest")
    client = Client(enforce_csrf_checks=True)
    url = reverse("unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe from weekly digest emails?" in page.content
    keen.refresh_from_db()
    assert keen.wants_digests
    tampered = reverse("unsubscribe", args=[token[:-3] + "abc"])
    assert client.post(tampered).status_code == 400
    keen.refresh_from_db()
    assert keen.wants_digests
    assert client.post(url).status_code == 200
    keen.refresh_from_db()
    assert not keen.wants_digests and keen.wants_reminders


@pytest.mark.django_db
def test_staff_preview_shows_each_kind_and_students_can_not(client, cohort):
    keen = student(cohort, "keen@example.org")
    client.force_login(UserFactory(is_staff=True, email="coach@example.org"))
    for kind, words in (("deadline", "days left"), ("digest", "Your week"), ("staff-digest", "at risk")):
        page = client.get(reverse("emails_preview"), {"kind": kind, "student": keen.pk, "cohort": cohort.slug})
        assert page.status_code == 200
        assert words in page.content.decode(), kind
    client.force_login(keen.user)
    assert client.get(reverse("emails_preview")).status_code == 403


@pytest.mark.django_db
def test_commands_dry_run_prints_and_sends_nothing_then_sends_once(cohort):
    cohort.reminder_days_before = [7]
    cohort.save()
    student(cohort, "keen@example.org")
    out = StringIO()
    call_command("send_deadline_reminders", "--now", "2031-01-03T09:00:00Z", "--dry-run", stdout=out)
    assert "would send to keen@example.org: 7 days left" in out.getvalue()
    assert mail.outbox == []
    call_command("send_deadline_reminders", "--now", "2031-01-03T09:00:00Z", stdout=StringIO())
    call_command("send_deadline_reminders", "--now", "2031-01-03T09:00:00Z", stdout=StringIO())
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_reminders_through_the_broker(settings):
    """Runs on Redis whenever REDIS_URL is set (CI), on kombu's in-process transport otherwise."""
    cohort = CohortFactory(opens_on=OPENS, cutoff_at=CUTOFF, reminder_days_before=[7])
    students = [EnrollmentFactory(cohort=cohort, time_zone="UTC", user__email=f"worker{n}@example.org") for n in range(3)]
    for enrollment in students:
        rollups_refresh(enrollment_ids=[enrollment.pk])
    queue = f"test-{uuid.uuid4().hex}"
    at = dt.datetime(2031, 1, 3, 9, 0, tzinfo=UTC)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):

        def enqueue(occasion, ids):
            notifications_tasks.notifications_send_chunk.apply_async((occasion.kind, occasion.cohort.pk, occasion.number, ids), queue=queue)

        notifications_dispatch(now=at, send=enqueue)
        notifications_dispatch(now=at, send=enqueue)  # a second beat: its chunk finds the rows
        deadline = dt.datetime.now() + dt.timedelta(seconds=30)
        while Notification.objects.filter(state="sent").count() < 3 and dt.datetime.now() < deadline:
            time.sleep(0.1)
    assert sorted(m.to[0] for m in mail.outbox) == [f"worker{n}@example.org" for n in range(3)]
    assert Notification.objects.filter(state="sent", occasion="deadline-7d").count() == 3
    assert not Enrollment.objects.filter(notifications__isnull=True, cohort=cohort).exists()


@pytest.mark.django_db
def test_staff_turn_the_cohort_digest_off_and_on_and_see_a_students_emails(client, cohort):
    coach = UserFactory(is_staff=True, email="coach@example.org")
    client.force_login(coach)
    client.post(reverse("staff_digest_preference"), {"wanted": "0"})
    coach.refresh_from_db()
    assert not coach.wants_cohort_digest
    keen = student(cohort, "keen@example.org")
    cohort.reminder_days_before = [7]
    cohort.save()
    call_command("send_deadline_reminders", "--now", "2031-01-03T09:00:00Z", stdout=StringIO())
    page = client.get(reverse("cohort:student", args=[keen.pk])).content.decode()
    assert "Deadline reminder, deadline-7d: sent" in page
