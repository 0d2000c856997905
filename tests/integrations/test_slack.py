"""`/study` from Slack, as Slack sends it (a signed x-www-form-urlencoded POST) and as Slack expects the answer
(JSON, ephemeral); the weekly post to a loopback HTTP server standing in for Slack's incoming webhook."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from django.urls import reverse
from django.utils import timezone

from common.timezones import local_today
from integrations.models import CohortChannel, SlackLink, WeeklyPost
from integrations.services.weekly import SlackPostFailed, weekly_post_send, weekly_posts_due
from lessons.models import Lesson
from progress.models import StudyLog
from tests.factories import EnrollmentFactory, EventFactory, LessonProgressFactory, StudyLogFactory
from tests.helpers import text_of
from tests.integrations.slack import SECRET, TRIGGERS, URL, command, signed, slack_body


@pytest.fixture
def linked(db, cohort):
    student = EnrollmentFactory(cohort=cohort, time_zone="UTC")
    SlackLink.objects.create(enrollment=student, team_id="T0001", slack_user_id="U2147483697")
    return student


def test_a_bad_stale_or_replayed_signature_is_401_and_changes_nothing(linked):
    client = Client(enforce_csrf_checks=True)  # CSRF-exempt: the signature is the guard
    body = slack_body("1h L3 sneaky")
    assert client.post(URL, body, content_type="application/x-www-form-urlencoded", **signed(body, secret="wrong")).status_code == 401
    stale = int(time.time()) - 6 * 60
    assert client.post(URL, body, content_type="application/x-www-form-urlencoded", **signed(body, at=stale)).status_code == 401
    assert client.post(URL, body, content_type="application/x-www-form-urlencoded").status_code == 401
    headers = signed(body)
    assert client.post(URL, body + "&text=2h", content_type="application/x-www-form-urlencoded", **headers).status_code == 401
    assert not StudyLog.objects.exists()
    assert client.post(URL, body, content_type="application/x-www-form-urlencoded", **headers).status_code == 200
    assert client.post(URL, body, content_type="application/x-www-form-urlencoded", **headers).status_code == 401  # replayed
    assert StudyLog.objects.count() == 1


def test_without_a_signing_secret_every_request_is_refused(client, linked, settings):
    settings.SLACK_SIGNING_SECRET = ""
    body = slack_body("help")
    assert client.post(URL, body, content_type="application/x-www-form-urlencoded", **signed(body)).status_code == 401


def test_linking_with_the_profiles_one_time_code_then_logging(client, cohort):
    student = EnrollmentFactory(cohort=cohort, time_zone="UTC")
    assert "not linked" in command(client, "status")
    client.force_login(student.user)
    client.post(reverse("integrations:slack_code"))
    page = client.get(reverse("progress:profile")).content.decode()
    code = page.split('data-testid="slack-code">')[1].split("<")[0]
    client.logout()
    assert "Linked" in command(client, f"link {code.lower()}")
    assert "not one we gave out, was used already" in command(client, f"link {code}", user_id="U999")
    answer = command(client, "1h30 L3 backprop at last")
    assert answer.startswith("Saved 1 h 30 min on ")
    log = StudyLog.objects.get(enrollment=student)
    assert (log.minutes, log.lesson.number, log.notes, log.day) == (90, 3, "backprop at last", local_today(time_zone="UTC"))
    client.force_login(student.user)
    client.post(reverse("integrations:slack_unlink"))
    client.logout()
    assert "not linked" in command(client, "today")


def test_the_same_input_is_refused_with_the_web_forms_words(client, linked):
    assert "Not saved:" in command(client, "an-hour-ish L3") and "is not a time we can read" in command(client, "an-hour-ish L3")
    assert "more than zero" in command(client, "0 L3")
    assert "There is no lesson 42" in command(client, "1h L42")
    assert "like `/study 1h30 L5 what I did`" in command(client, "1h")
    command(client, "23h L2")
    assert "A day has 24 hours" in command(client, "2h L3")
    assert StudyLog.objects.count() == 1


def test_today_status_and_help(client, linked):
    command(client, "45m L2 notes")
    assert "45 min" in command(client, "today")
    status = command(client, "status")
    # 45 min in the last 7 days leaves most of the course for after the cut-off: the dashboard's verdict and words.
    client.force_login(linked.user)
    page = client.get(reverse("progress:dashboard"))
    assert status.startswith(f"*At risk.* {text_of(page, 'verdict-headline')}\n")
    assert "forecast finish" in status and "after the cut-off" in status
    assert "Time left:" in status and "Plan: no plan yet" in status and "Needed:" in status
    assert "Safe days:" not in status  # as on the dashboard, where they show "–"
    assert "/study 1h30 L5" in command(client, "help")
    assert command(client, "").startswith("No timer is running.")  # alone, `/study` shows the running timer
    assert command(client, "", user_id="UNOBODY") == command(client, "help")


def test_status_of_a_student_on_track_gives_the_safe_days_the_dashboard_shows(client, linked):
    today = local_today(time_zone="UTC")
    for lesson in Lesson.objects.exclude(number=10):
        LessonProgressFactory(enrollment=linked, lesson=lesson, completed_on=today)
    last = Lesson.objects.get(number=10)  # 40 h: 28 h of it in the last 7 days leaves 12 h, 3 days at that pace
    for back in range(7):
        StudyLogFactory(enrollment=linked, lesson=last, day=today - dt.timedelta(days=back), minutes=240)
    status = command(client, "status")
    client.force_login(linked.user)
    page = client.get(reverse("progress:dashboard"))
    assert text_of(page, "verdict-label") == "On track"
    assert status.startswith(f"*On track.* {text_of(page, 'verdict-headline')}\n")
    assert f"Safe days: {text_of(page, 'safe-days')}\n" in status
    assert "Lessons done: 9 of 10" in status


def test_status_of_a_finished_student_says_so_and_asks_nothing_more(client, linked):
    today = local_today(time_zone="UTC")
    for lesson in Lesson.objects.all():
        LessonProgressFactory(enrollment=linked, lesson=lesson, completed_on=today)
    status = command(client, "status")
    assert status.startswith(f"*Finished.* You finished every lesson on {today.day} {today:%B}.\n")
    assert "Safe days:" not in status and "Needed:" not in status
    assert "Lessons done: 10 of 10" in status


def test_commands_are_rate_limited_per_slack_user(client, linked, settings):
    settings.SLACK_COMMANDS_PER_MINUTE = 3
    answers = [command(client, "today") for _ in range(4)]
    assert "wait a minute" in answers[-1] and "wait a minute" not in answers[0]
    assert "wait a minute" not in command(client, "help", user_id="UOTHER")


class SlackStandIn(BaseHTTPRequestHandler):
    """Slack's incoming webhook on loopback: records each JSON body and answers as Slack does ("ok")."""

    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        SlackStandIn.received.append(json.loads(self.rfile.read(length)))
        self.send_response(SlackStandIn.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if SlackStandIn.status == 200 else b"invalid_payload")

    def log_message(self, *args):
        pass


@pytest.fixture
def slack_server():
    SlackStandIn.received, SlackStandIn.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), SlackStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/services/T000/B000/XXXX"
    server.shutdown()


def test_the_weekly_post_goes_to_the_channel_once_with_numbers_summaries_and_events(cohort, slack_server, django_capture_on_commit_callbacks):
    CohortChannel.objects.create(cohort=cohort, webhook_url=slack_server)
    EventFactory(cohort=cohort, title="Careers AMA")
    week_two = timezone.make_aware(dt.datetime.combine(cohort.opens_on + dt.timedelta(days=7), dt.time(9, 30)),
                                   ZoneInfo(cohort.time_zone))
    EventFactory(cohort=cohort, title="Careers AMA 2", starts_at=week_two + dt.timedelta(days=1))
    ids = []
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_posts_due(now=week_two, enqueue=ids.append) == 1
        weekly_posts_due(now=week_two + dt.timedelta(minutes=15), enqueue=ids.append)
    for post_id in ids:
        weekly_post_send(post_id=post_id)
    assert len(SlackStandIn.received) == 1
    text = SlackStandIn.received[0]["text"]
    assert f"{cohort.name}: week 1 in numbers" in text and "Careers AMA 2" in text
    assert WeeklyPost.objects.get().posted_at is not None


def test_a_refused_post_is_kept_for_the_retry(cohort, slack_server):
    CohortChannel.objects.create(cohort=cohort, webhook_url=slack_server)
    post = WeeklyPost.objects.create(cohort=cohort, week_number=1, text="hello")
    SlackStandIn.status = 400
    with pytest.raises(SlackPostFailed):
        weekly_post_send(post_id=post.pk)
    SlackStandIn.status = 200
    assert weekly_post_send(post_id=post.pk) is True
    assert weekly_post_send(post_id=post.pk) is False
    post.refresh_from_db()
    assert post.attempts == 2 and post.posted_at is not None and len(SlackStandIn.received) == 2


HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\x00", "1h L3 \x00", "9" * 400 + " L3", "nan L3", "inf L3", "-1 L3", "1h L99999999999999", "1h L0",
                     "link " + "A" * 5000, "status " * 50, "1h30 L3 " + "x" * 11_000, "%ZZ", "１h L３"]),
)


class SignedFuzzTests(TestCase):
    """Hostile values in every field this endpoint reads, each request properly signed: never a 500."""

    @classmethod
    def setUpTestData(cls):
        cls.student = EnrollmentFactory(time_zone="UTC")
        SlackLink.objects.create(enrollment=cls.student, team_id="T0001", slack_user_id="U2147483697")

    @hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=HOSTILE_TEXT, user=st.sampled_from(["U2147483697", "U" + "9" * 40, "", "\x00", "UNLINKED"]),
           team=st.sampled_from(["T0001", "", "T" * 40]))
    def test_no_signed_request_answers_500(self, text, user, team):
        with override_settings(SLACK_SIGNING_SECRET=SECRET, SLACK_COMMANDS_PER_MINUTE=10_000):
            body = urlencode({"team_id": team, "user_id": user, "command": "/study", "text": text, "trigger_id": str(next(TRIGGERS))})
            response = Client().post(URL, body, content_type="application/x-www-form-urlencoded", **signed(body))
        assert response.status_code in (200, 400), (text, user, team)
        if response.status_code == 200:
            assert response.json()["response_type"] == "ephemeral"
