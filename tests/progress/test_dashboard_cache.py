"""The dashboard is drawn once and reused until something on it changes: every write a student makes,
through any page, shows on their very next view; the clock moves it on; nobody sees another's. Its panels
(group card, next events) show what classmates and staff change within a minute."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse

from common.timezones import local_today
from groups.models import Membership
from progress.models import Accomplishment, StudyLog
from progress.selectors.reflection import summary_current_week
from progress.selectors.standing import dashboard_cache_key
from progress.views.dashboard import PANELS_CACHE_SECONDS, DashboardPage
from tests.factories import EnrollmentFactory, EventFactory, StudyGroupFactory, StudyLogFactory, UserFactory, member_of
from tests.helpers import text_of

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("progress:dashboard")


def dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response


def test_a_second_view_reads_only_the_user_and_enrolment(student_client, enrollment, django_assert_num_queries):
    StudyLogFactory(enrollment=enrollment, day=local_today(time_zone=enrollment.time_zone), minutes=90)
    EventFactory(cohort=enrollment.cohort, title="AMA with the instructors")
    first = dashboard(student_client)
    # the session comes from the cache; the page and its panels (group card, next events) were drawn before
    with django_assert_num_queries(2):
        second = dashboard(student_client)
    assert text_of(second, "total-hours") == text_of(first, "total-hours") == "1 h 30 min"
    for page in (first, second):
        assert "AMA with the instructors" in page.content.decode() and "Find a group" in page.content.decode()


def test_what_classmates_and_staff_change_in_the_panels_shows_within_a_minute(student_client, enrollment, settings):
    """A classmate's log and a new event move no version of this student's: the panels' drawing runs out instead."""
    group = StudyGroupFactory(cohort=enrollment.cohort)
    Membership.objects.create(enrollment=enrollment, group=group)
    classmate = member_of(group)
    assert text_of(dashboard(student_client), "group-week-hours") == "0 min"
    StudyLogFactory(enrollment=classmate, day=local_today(time_zone=classmate.time_zone), minutes=120)
    EventFactory(cohort=enrollment.cohort, title="Webinar on CNNs")
    page = dashboard(student_client)
    assert text_of(page, "group-week-hours") == "0 min" and "Webinar on CNNs" not in page.content.decode()  # drawn before
    assert PANELS_CACHE_SECONDS == 60
    cache.delete(make_template_fragment_key("dashboard-panels", [DashboardPage(enrollment=enrollment).panels_cache_key]))  # a minute on
    page = dashboard(student_client)
    assert text_of(page, "group-week-hours") == "2 h" and "Webinar on CNNs" in page.content.decode()


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


def _rsvp(client, enrollment):
    event = EventFactory(cohort=enrollment.cohort, title="AMA with the instructors")
    before = dashboard(client)
    client.post(reverse("events:rsvp", args=[event.pk]), {"going": "1"})
    return before, lambda page: ">going</span>" in page.content.decode()


def _group_joined(client, enrollment):
    group = StudyGroupFactory(cohort=enrollment.cohort, name="Night owls")
    before = dashboard(client)
    client.post(reverse("groups:join", args=[group.pk]))
    return before, lambda page: "Your group: " in page.content.decode()


def _group_left(client, enrollment):
    Membership.objects.create(enrollment=enrollment, group=StudyGroupFactory(cohort=enrollment.cohort))
    before = dashboard(client)
    client.post(reverse("groups:leave"))
    return before, lambda page: "Find a group" in page.content.decode()


def _group_place_shown(client, enrollment):
    Membership.objects.create(enrollment=enrollment, group=StudyGroupFactory(cohort=enrollment.cohort))
    before = dashboard(client)
    client.post(reverse("groups:privacy"), {"shows_place": "on"})
    return before, lambda page: "You are 1st of 1 by hours this week." in page.content.decode()


@pytest.mark.parametrize(
    "write",
    [
        _log, _log_deleted, _lesson_done, _summary, _accomplishment, _accomplishment_deleted, _plan, _goals, _log_added_in_the_admin,
        _rsvp, _group_joined, _group_left, _group_place_shown,
    ],
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
