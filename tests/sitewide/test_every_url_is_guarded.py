"""Every URL the project serves, taken from the resolver so a new one can not slip past:
anonymous visitors are sent to log in (or the page is public by this allowlist), a student gets 404 on
another student's object and 403 on a staff page, and no state-changing request works without a CSRF token.

The JSON API (/api/v1/, namespace "api") answers without a redirect: 401 without a token or session, 403 on
staff endpoints and for a read token's writes, 404 on another student's object, all as problem+json; a
session's writes need the CSRF token. Its routes are swept by the API rules at the end of this module, and
left out of `named_patterns` (which tests/sitewide/test_every_input_is_fuzzed.py also reads: the API's inputs
are fuzzed from its OpenAPI schema by tests/api/test_schema_fuzzed.py).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from common.timezones import local_today
from events.models import Event
from groups.models import FormingRun, Membership, Mentorship, StudyGroup
from notifications.services.unsubscribe import unsubscribe_token
from progress.models import Accomplishment, ScheduleItem, StudyPlan
from progress.services.plans import schedule_build
from review.models import EnrollmentImport
from tests.factories import EnrollmentFactory, StudyLogFactory, UserFactory
from timers.services import timer_start

pytestmark = pytest.mark.django_db

PUBLIC = {
    "home", "healthz", "favicon", "unsubscribe", "progress:schedule_ics",
    "accounts:signup", "accounts:login", "accounts:logout", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "integrations:slack_command",  # Slack's signature is its guard (tests/integrations/test_slack.py)
}
STAFF = {
    "cohort:dashboard", "cohort:student", "cohort:export", "cohort:enroll", "cohort:enroll_status", "cohort:shortlist",
    "cohort:shortlist_pick", "staff_digest_preference", "emails_preview", "cohort:groups", "groups:form", "groups:forming_status",
    "groups:member_add", "groups:member_remove", "groups:mentor_add", "groups:mentor_remove",
    "events:staff_list", "events:staff_create", "events:staff_edit", "events:staff_cancel",
}
# Student pages; those with an object in the URL must 404 for anyone but its owner.
STUDENT_OWN_OBJECT = {
    "progress:log_edit", "progress:log_delete", "progress:schedule_item_move", "progress:accomplishment_delete",
    "groups:detail", "groups:note", "groups:rename", "mentor_nudge",  # a group's page and note: its members and mentors; a nudge: the mentor's
    "timers:stop", "timers:confirm", "timers:keep", "timers:discard",
}
STUDENT = {
    "progress:dashboard", "progress:log_list", "progress:log_create", "progress:profile", "progress:accomplishment_add",
    "progress:summary_list", "progress:summary_write", "progress:community_summaries", "progress:project",
    "progress:schedule", "progress:calendar_token_reset", "lessons:list", "lessons:detail", "lessons:mark",
    "accounts:password_change", "accounts:password_change_done", "groups:browse", "groups:create", "groups:join_code",
    "groups:leave", "groups:privacy", "groups:join", "mentor", "events:list", "events:rsvp", "events:attended",
    "integrations:slack_code", "integrations:slack_unlink", "timers:page", "timers:start",
} | STUDENT_OWN_OBJECT
POST_ONLY = {
    "progress:schedule_item_move", "progress:calendar_token_reset", "progress:accomplishment_add",
    "progress:accomplishment_delete", "lessons:mark", "cohort:shortlist_pick", "staff_digest_preference", "accounts:logout",
    "groups:join_code", "groups:leave", "groups:privacy", "groups:join", "groups:note", "groups:rename", "groups:member_add",
    "groups:member_remove", "groups:mentor_add", "groups:mentor_remove", "mentor_nudge", "events:rsvp", "events:attended",
    "integrations:slack_code", "integrations:slack_unlink",
    "timers:start", "timers:stop", "timers:confirm", "timers:keep", "timers:discard",
}


def named_patterns(resolvers=None, prefix=""):
    names = set()
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin guards itself (staff login), tested in test_admin
            if entry.app_name == "api" and not prefix:
                continue  # the JSON API: its own rules, below (api_patterns)
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= named_patterns(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


@pytest.fixture
def world(db):
    owner = EnrollmentFactory()
    today = local_today(time_zone=owner.time_zone)
    log = StudyLogFactory(enrollment=owner, day=today)
    schedule_build(
        enrollment=owner, starts_on=owner.cohort.opens_on, target_on=owner.cohort.opens_on + dt.timedelta(days=40),
        weekday_hours=Decimal("4"), weekend_hours=Decimal("5"), days_off=[], accept_after_cutoff=True,
    )
    item = ScheduleItem.objects.filter(plan__enrollment=owner, starts_on__isnull=False).first()
    accomplishment = Accomplishment.objects.create(enrollment=owner, title="Mine", achieved_on=today, kind="other")
    job = EnrollmentImport.objects.create(cohort=owner.cohort, rows=[], total_rows=0)
    other = EnrollmentFactory(cohort=owner.cohort)
    group = StudyGroup.objects.create(cohort=owner.cohort, name="Owner's group", utc_offset=1, weekly_goal_hours=20)
    Membership.objects.create(enrollment=owner, group=group)
    mentor = UserFactory()
    Mentorship.objects.create(group=group, mentor=mentor)
    run = FormingRun.objects.create(cohort=owner.cohort, plan=[], total_groups=0)
    event = Event.objects.create(cohort=owner.cohort, title="AMA", host="H", starts_at=timezone.now() + dt.timedelta(days=1),
                                 join_url="https://meet.example.org/a")
    timer = timer_start(enrollment=owner, lesson=log.lesson).timer
    return {
        "owner": owner, "other": other,
        "kwargs": {
            "progress:log_edit": {"pk": log.pk}, "progress:log_delete": {"pk": log.pk},
            "progress:schedule_item_move": {"pk": item.pk}, "progress:accomplishment_delete": {"pk": accomplishment.pk},
            "progress:summary_write": {"week": 1}, "lessons:detail": {"slug": "welcome"}, "lessons:mark": {"slug": "welcome"},
            "cohort:student": {"enrollment_id": owner.pk}, "cohort:enroll_status": {"import_id": job.pk},
            "cohort:shortlist_pick": {"enrollment_id": owner.pk},
            "unsubscribe": {"token": unsubscribe_token(user_id=owner.user_id, kind="digest")},
            "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
            **{name: {"pk": group.pk} for name in ("groups:detail", "groups:join", "groups:note", "groups:rename", "groups:member_add",
                                                  "groups:member_remove", "groups:mentor_add", "groups:mentor_remove")},
            "groups:forming_status": {"run_id": run.pk}, "mentor_nudge": {"enrollment_id": owner.pk},
            **{name: {"pk": event.pk} for name in ("events:rsvp", "events:attended", "events:staff_edit", "events:staff_cancel")},
            **{name: {"pk": timer.pk} for name in ("timers:stop", "timers:confirm", "timers:keep", "timers:discard")},
        },
        "plan": StudyPlan.objects.get(enrollment=owner),
    }


def url_for(world, name):
    return reverse(name, kwargs=world["kwargs"].get(name))


def test_every_url_is_classified():
    unclassified = named_patterns() - PUBLIC - STAFF - STUDENT
    unclassified |= api_patterns() - API_PUBLIC - API_STUDENT - API_STAFF - API_PAGES
    assert not unclassified, f"classify these URLs in this test: {sorted(unclassified)}"


@pytest.mark.parametrize("name", sorted(STAFF | STUDENT))
def test_anonymous_visitors_are_sent_to_log_in(client, world, name):
    response = client.post(url_for(world, name)) if name in POST_ONLY else client.get(url_for(world, name))
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("name", sorted(STAFF))
def test_students_get_403_on_staff_pages(client, world, name):
    client.force_login(world["other"].user)
    response = client.post(url_for(world, name)) if name in POST_ONLY else client.get(url_for(world, name))
    assert response.status_code == 403, name


@pytest.mark.parametrize("name", sorted(STUDENT_OWN_OBJECT))
def test_another_students_object_is_404_for_get_and_post(client, world, name):
    client.force_login(world["other"].user)
    url = url_for(world, name)
    if name not in POST_ONLY:
        assert client.get(url).status_code == 404, name
    assert client.post(url, {"ends_on": "2030-01-01", "minutes": "1", "day": "2030-01-01", "lesson": "1"}).status_code == 404, name


@pytest.mark.parametrize("name", sorted(POST_ONLY - {"accounts:logout"}))
def test_state_changes_without_a_csrf_token_are_refused(world, name):
    client = Client(enforce_csrf_checks=True)
    user = UserFactory(is_staff=True) if name in STAFF else world["owner"].user
    client.force_login(user)
    assert client.post(url_for(world, name), {}).status_code == 403, name


@pytest.mark.parametrize(
    "name", ["progress:log_create", "progress:profile", "progress:schedule", "progress:project", "progress:summary_write", "cohort:enroll", "accounts:signup", "emails_preview"]
)
def test_forms_refuse_a_post_without_a_csrf_token(world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True) if name in STAFF else world["owner"].user)
    assert client.post(url_for(world, name), {}).status_code == 403, name


def test_the_only_csrf_free_posts_are_the_signed_ones_unsubscribe_and_slack(world, settings):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url_for(world, "unsubscribe")).status_code == 200
    assert client.post(reverse("unsubscribe", kwargs={"token": "forged"})).status_code == 400
    settings.SLACK_SIGNING_SECRET = "a-secret"
    slack = client.post(reverse("integrations:slack_command"), "text=1h+L3&user_id=U1&team_id=T1&command=/study",
                        content_type="application/x-www-form-urlencoded")
    assert slack.status_code == 401  # unsigned: refused by its own guard, not by CSRF


@pytest.mark.parametrize("name", sorted(PUBLIC - {"accounts:logout", "progress:schedule_ics", "integrations:slack_command"}))
def test_public_pages_answer_without_login(client, world, name):
    assert client.get(url_for(world, name)).status_code in {200, 301, 302, 503}, name


def test_the_calendar_feed_needs_its_secret_token(client, world):
    assert client.get(reverse("progress:schedule_ics")).status_code == 404
    assert client.get(reverse("progress:schedule_ics"), {"token": world["plan"].enrollment.calendar_token}).status_code == 200


# --- The JSON API -------------------------------------------------------------------------------------------

API_PUBLIC = {"api:schema", "api:docs", "api:not_found"}
API_STAFF = {"api:cohort_students"}
# Endpoints a token or a session opens (the student's own data); those with an object in the URL 404 for anyone
# but its owner (an event: for anyone outside its cohort).
API_OWN_OBJECT = {"api:log", "api:event_rsvp"}
API_STUDENT = {
    "api:me", "api:lessons", "api:logs", "api:plan", "api:summaries", "api:status", "api:events", "api:group",
    "api:timer", "api:timer_start", "api:timer_stop",
} | API_OWN_OBJECT
# Each endpoint's writes: (name, method).
API_WRITES = {
    ("api:logs", "post"), ("api:log", "patch"), ("api:log", "delete"), ("api:event_rsvp", "post"), ("api:timer_start", "post"),
    ("api:timer_stop", "post"),
}
API_POST_ONLY = {"api:event_rsvp", "api:timer_start", "api:timer_stop"}
# The HTML pages behind the profile's token panel: guarded as every page (log in, CSRF).
API_PAGES = {"api:tokens", "api:token_create", "api:token_revoke"}
API_PAGES_POST_ONLY = {"api:token_create", "api:token_revoke"}


def api_patterns():
    resolver = next(entry for entry in get_resolver().url_patterns if isinstance(entry, URLResolver) and entry.app_name == "api")
    return named_patterns(resolver.url_patterns, "api:")


@pytest.fixture
def api_world(world):
    from api.services.tokens import access_token_create

    owner = world["owner"]
    log = owner.study_logs.get()
    event = Event.objects.get()
    token, secret = access_token_create(user=owner.user, name="phone", scope="write")
    kwargs = {"api:log": {"pk": log.pk}, "api:event_rsvp": {"pk": event.pk}, "api:token_revoke": {"pk": token.pk},
              "api:not_found": None}
    return {**world, "api_kwargs": kwargs, "secret": secret}


def api_url(api_world, name):
    return "/api/v1/no-such-endpoint/" if name == "api:not_found" else reverse(name, kwargs=api_world["api_kwargs"].get(name))


def api_call(client, method, url, **extra):
    return getattr(client, method)(url, "{}", content_type="application/json", **extra) if method != "get" else client.get(url, **extra)


def assert_problem(response, status, name):
    assert response.status_code == status, name
    assert response["Content-Type"] == "application/problem+json", name


@pytest.mark.parametrize("name, method", sorted({(name, "get") for name in (API_STUDENT | API_STAFF) - API_POST_ONLY} | API_WRITES))
def test_the_api_answers_401_without_a_token_or_session(client, api_world, name, method):
    assert_problem(api_call(client, method, api_url(api_world, name)), 401, name)


@pytest.mark.parametrize("name", sorted(API_STAFF))
def test_students_get_a_403_problem_on_staff_endpoints(client, api_world, name):
    client.force_login(api_world["other"].user)
    assert_problem(client.get(api_url(api_world, name)), 403, name)
    assert_problem(client.get(api_url(api_world, name), headers={"Authorization": f"Bearer {api_world['secret']}"}), 403, name)


@pytest.mark.parametrize("name, method", sorted({(name, "get") for name in API_OWN_OBJECT if name != "api:event_rsvp"}
                                                | {write for write in API_WRITES if write[0] in API_OWN_OBJECT}))
def test_another_students_object_is_a_404_problem_on_the_api(client, api_world, name, method):
    from tests.factories import EnrollmentFactory

    client.force_login(EnrollmentFactory().user)  # another cohort's student: not the log's owner, not the event's cohort
    assert_problem(api_call(client, method, api_url(api_world, name), headers={"X-CSRFToken": "unused"}), 404, name)


@pytest.mark.parametrize("name, method", sorted(API_WRITES))
def test_api_writes_on_a_session_need_the_csrf_token(api_world, name, method):
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_world["owner"].user)
    response = api_call(client, method, api_url(api_world, name))
    assert_problem(response, 403, name)
    assert "CSRF" in response.json()["detail"], name


@pytest.mark.parametrize("name, method", sorted(API_WRITES))
def test_api_writes_with_a_read_token_are_a_403_problem(client, api_world, name, method):
    from api.services.tokens import access_token_create

    secret = access_token_create(user=api_world["owner"].user, name="read", scope="read")[1]
    response = api_call(client, method, api_url(api_world, name), headers={"Authorization": f"Bearer {secret}"})
    assert_problem(response, 403, name)
    assert response.json()["code"] == "read_only_token", name


@pytest.mark.parametrize("name", sorted(API_PAGES))
def test_the_token_pages_send_anonymous_visitors_to_log_in(client, api_world, name):
    url = api_url(api_world, name)
    response = client.post(url) if name in API_PAGES_POST_ONLY else client.get(url)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("name", sorted(API_PAGES_POST_ONLY))
def test_the_token_forms_refuse_a_post_without_a_csrf_token(api_world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_world["owner"].user)
    assert client.post(api_url(api_world, name), {"name": "x", "scope": "write"}).status_code == 403, name


def test_another_persons_token_is_404_to_revoke(client, api_world):
    client.force_login(api_world["other"].user)
    assert client.post(api_url(api_world, "api:token_revoke")).status_code == 404


@pytest.mark.parametrize("name", sorted(API_PUBLIC))
def test_the_api_schema_and_its_documentation_are_public(client, api_world, name):
    response = client.get(api_url(api_world, name))
    if name == "api:not_found":
        assert_problem(response, 404, name)
    else:
        assert response.status_code == 200, name
