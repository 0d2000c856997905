"""The dashboard is drawn once and reused until something on it changes: every write a student makes,
through any page, shows on their very next view; the clock moves it on; nobody sees another's."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from common.timezones import local_today
from progress.models import Accomplishment, StudyLog
from progress.selectors.reflection import summary_current_week
from progress.selectors.standing import dashboard_cache_key
from tests.factories import EnrollmentFactory, StudyLogFactory, UserFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("progress:dashboard")


def dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response


def test_a_second_view_reads_only_the_session_user_enrolment_group_and_events(student_client, enrollment, django_assert_max_num_queries):
    StudyLogFactory(enrollment=enrollment, day=local_today(time_zone=enrollment.time_zone), minutes=90)
    first = dashboard(student_client)
    # session, user, enrolment; the panels drawn per request: the group card looks for a group, the events card for events
    with django_assert_max_num_queries(5):
        second = dashboard(student_client)
    assert text_of(second, "total-hours") == text_of(first, "total-hours") == "1 h 30 min"


def _log(client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    before = dashboard(client)
    client.post(reverse("progress:log_create"), {"day": today.isoformat(), "lesson": "4", "minutes": "2h", "community_minutes": "30m"})
    return before, lambda page: text_of(page, "total-hours") == "2 h" and text_of(page, "community-hours") == "30 min"


def _log_deleted(client, enrollment):
    log = StudyLogFactory(enrollment=enrollment, day=local_today(time_zone=enrollment.time_zone), minutes=75)
    before = dashboard(client)
    assert text_of(before, "total-hours") == "1 h 15 min"
    client.post(reverse("progress:log_delete", args=[log.pk]))
    assert not StudyLog.objects.filter(pk=log.pk).exists()
    return before, lambda page: text_of(page, "total-hours") == "0 min"


def _lesson_done(client, enrollment):
    before = dashboard(client)
    client.post(reverse("lessons:mark", args=["introduction-to-pytorch"]), {"done": "1"})
    return before, lambda page: text_of(page, "lessons-done") == "1/10"


def _summary(client, enrollment):
    week = summary_current_week(enrollment=enrollment)
    before = dashboard(client)
    client.post(reverse("progress:summary_write", args=[week]), {"body": "Finished lesson 4", "action": "save"})
    return before, lambda page: "Written." in page.content.decode()


def _accomplishment(client, enrollment):
    before = dashboard(client)
    client.post(reverse("progress:accomplishment_add"), {"title": "Blogged about CNNs", "achieved_on": enrollment.cohort.opens_on.isoformat(), "kind": "article", "link": ""}, follow=True)
    return before, lambda page: "Blogged about CNNs" in page.content.decode()


def _accomplishment_deleted(client, enrollment):
    item = Accomplishment.objects.create(enrollment=enrollment, title="Talk at the meetup", achieved_on=enrollment.cohort.opens_on, kind="other")
    before = dashboard(client)
    assert "Talk at the meetup" in before.content.decode()
    client.post(reverse("progress:accomplishment_delete", args=[item.pk]), follow=True)  # the profile shows "Removed ..."
    return before, lambda page: "Talk at the meetup" not in page.content.decode()


def _plan(client, enrollment):
    opens = enrollment.cohort.opens_on
    before = dashboard(client)
    client.post(reverse("progress:schedule"), {
        "starts_on": opens.isoformat(), "target_on": (opens + dt.timedelta(days=50)).isoformat(),
        "weekday_hours": "4", "weekend_hours": "6", "days_off": "", "accept_after_cutoff": "on",
    })
    return before, lambda page: text_of(page, "plan-status") != "No plan yet"


def _goals(client, enrollment):
    before = dashboard(client)
    client.post(reverse("progress:profile"), {
        "full_name": "Ada", "time_zone": enrollment.time_zone, "weekday_goal_hours": "2.5", "weekend_goal_hours": "7",
        "wants_reminders": "on", "wants_digests": "on",
    })
    return before, lambda page: "Your goal: 2.5 h on weekdays, 7 h at weekends." in page.content.decode()


def _log_added_in_the_admin(client, enrollment):
    before = dashboard(client)
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    added = staff.post(reverse("admin:progress_studylog_add"), {
        "enrollment": enrollment.pk, "day": local_today(time_zone=enrollment.time_zone).isoformat(), "lesson": 2,
        "minutes": 45, "community_minutes": 0, "notes": "",
    })
    assert added.status_code == 302
    return before, lambda page: text_of(page, "total-hours") == "45 min"


@pytest.mark.parametrize(
    "write", [_log, _log_deleted, _lesson_done, _summary, _accomplishment, _accomplishment_deleted, _plan, _goals, _log_added_in_the_admin]
)
def test_every_write_shows_on_the_next_view(student_client, enrollment, write):
    before, shows = write(student_client, enrollment)
    assert not shows(before)
    assert shows(dashboard(student_client))


def test_the_drawing_is_redrawn_at_a_new_local_day_and_each_hour_nearer_the_cutoff(enrollment):
    enrollment.time_zone = "Asia/Tokyo"  # UTC+9 all year: local midnight is 15:00 UTC
    cohort = enrollment.cohort
    cohort.cutoff_at = cohort.cutoff_at.replace(minute=30, second=0, microsecond=0)  # the countdown's hours turn at :30

    def key_at(moment):
        return dashboard_cache_key(enrollment=enrollment, now=moment)

    at = cohort.cutoff_at - dt.timedelta(days=3, minutes=10)
    assert key_at(at + dt.timedelta(minutes=5)) == key_at(at)
    assert key_at(at + dt.timedelta(minutes=15)) != key_at(at)
    midnight = dt.datetime.combine(cohort.cutoff_at.date() - dt.timedelta(days=5), dt.time(15), tzinfo=dt.UTC)
    assert key_at(midnight - dt.timedelta(seconds=1)) != key_at(midnight + dt.timedelta(seconds=1))
    assert key_at(midnight + dt.timedelta(seconds=1)) == key_at(midnight + dt.timedelta(minutes=29))


def test_each_student_sees_their_own_dashboard(client):
    first, second = EnrollmentFactory(), EnrollmentFactory()
    StudyLogFactory(enrollment=first, day=local_today(time_zone=first.time_zone), minutes=60)
    for enrollment, hours in ((first, "1 h"), (second, "0 min"), (first, "1 h"), (second, "0 min")):
        client.force_login(enrollment.user)
        assert text_of(dashboard(client), "total-hours") == hours
