"""Hostile values in every query parameter and form field of every URL the resolver knows, as an anonymous
visitor, a student and staff: never a 500, and when the request is refused nothing saved has changed.

`INPUTS` lists, for each URL name, what each method's view reads. Two guards keep it honest: every URL
name from the resolver must be in it, and a walk of every URL records which keys the views actually
read from `request.GET` and `request.POST`; a key read but not listed fails the test. Values include
NUL, 10,000 characters, unicode digits, far dates, nan and inf, and invalid percent-escapes, sent as
raw query strings and bodies so the escapes reach Django undecoded. Run on PostgreSQL in CI, which
enforces lengths and refuses NUL where SQLite does not.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.functional import cached_property
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from common.timezones import local_today
from events.models import Event, Rsvp
from groups.models import FormingRun, Membership, Mentorship, StudyGroup
from notifications.services.unsubscribe import unsubscribe_token
from progress.models import Accomplishment, Enrollment, LessonProgress, ProjectSubmission, ScheduleItem, StudyLog, StudyPlan, WeeklySummary
from progress.services.plans import schedule_build
from review.models import EnrollmentImport, PhaseTwoPick
from progress.services.rollups import rollups_rebuild
from tests.factories import EnrollmentFactory, StudyLogFactory, UserFactory
from tests.sitewide.test_every_url_is_guarded import named_patterns
from timers.models import StudyTimer
from timers.services import timer_start

TABLE = ["cohort", "show", "q", "tz", "lesson", "group", "sort"]
LOG = ["day", "lesson", "minutes", "community_minutes", "notes"]
EVENT = ["title", "host", "starts_on", "starts_time", "time_zone", "duration_minutes", "join_url", "description", "recording_url"]
PLAN = ["starts_on", "target_on", "weekday_hours", "weekend_hours", "days_off", "accept_after_cutoff", "action"]

# URL name -> {method: the query parameters (GET) or form fields (POST) its view reads}; "?key" on a POST is
# a query parameter that the POST's view reads too.
INPUTS: dict[str, dict[str, list[str]]] = {
    "home": {"GET": []},
    "healthz": {"GET": []},
    "favicon": {"GET": []},
    "unsubscribe": {"GET": [], "POST": []},
    "emails_preview": {"GET": ["kind", "cohort", "student"], "POST": ["kind", "cohort", "student"]},
    "accounts:signup": {"GET": [], "POST": ["full_name", "email", "password1", "password2", "time_zone"]},
    "accounts:login": {"GET": ["next"], "POST": ["username", "password", "next", "?next"]},
    "accounts:logout": {"POST": ["next", "?next"]},
    "accounts:password_reset": {"GET": [], "POST": ["email"]},
    "accounts:password_reset_done": {"GET": []},
    "accounts:password_reset_confirm": {"GET": [], "POST": ["new_password1", "new_password2"]},
    "accounts:password_reset_complete": {"GET": []},
    "accounts:password_change": {"GET": [], "POST": ["old_password", "new_password1", "new_password2"]},
    "accounts:password_change_done": {"GET": []},
    "lessons:list": {"GET": []},
    "lessons:detail": {"GET": []},
    "lessons:mark": {"POST": ["done", "next", "?next"]},
    "cohort:dashboard": {"GET": [*TABLE, "page"]},
    "cohort:student": {"GET": ["page"]},
    "cohort:export": {"GET": TABLE},
    "cohort:enroll": {"GET": ["cohort"], "POST": ["file", "?cohort"]},
    "cohort:enroll_status": {"GET": ["format"]},
    "cohort:shortlist": {"GET": ["cohort", "format"]},
    "cohort:shortlist_pick": {"POST": ["picked"]},
    "staff_digest_preference": {"POST": ["wanted", "next", "?next"]},
    "progress:dashboard": {"GET": []},
    "progress:log_list": {"GET": ["page"]},
    "progress:log_create": {"GET": ["day", "lesson"], "POST": LOG},
    "progress:log_edit": {"GET": [], "POST": LOG},
    "progress:log_delete": {"GET": [], "POST": []},
    "progress:profile": {
        "GET": [], "POST": ["full_name", "time_zone", "weekday_goal_hours", "weekend_goal_hours", "wants_reminders", "wants_digests",
                 "wants_nudges", "wants_event_reminders", "calendar_all_events"],
    },
    "progress:accomplishment_add": {"POST": ["title", "achieved_on", "kind", "link"]},
    "progress:accomplishment_delete": {"POST": []},
    "progress:summary_list": {"GET": []},
    "progress:summary_write": {"GET": [], "POST": ["body", "is_shared", "action"]},
    "progress:community_summaries": {"GET": ["page"]},
    "progress:project": {"GET": [], "POST": ["url", "description", "score"]},
    "progress:schedule": {"GET": [], "POST": PLAN},
    "progress:schedule_item_move": {"POST": ["ends_on"]},
    "progress:calendar_token_reset": {"POST": ["next", "?next"]},
    "progress:schedule_ics": {"GET": ["token"]},
    "groups:browse": {"GET": ["q", "band", "pace", "page"]},
    "groups:create": {"GET": [], "POST": ["name", "utc_offset", "weekly_goal_hours", "is_open", "capacity"]},
    "groups:join_code": {"POST": ["join_code", "q", "band", "pace", "page", "?q", "?band", "?pace", "?page"]},
    "groups:leave": {"POST": []},
    "groups:privacy": {"POST": ["hides_numbers", "shows_place"]},
    "groups:detail": {"GET": []},
    "groups:join": {"POST": ["join_code"]},
    "groups:note": {"POST": ["note"]},
    "groups:rename": {"POST": ["name"]},
    "groups:member_add": {"POST": ["email"]},
    "groups:member_remove": {"POST": ["enrollment"]},
    "groups:mentor_add": {"POST": ["email"]},
    "groups:mentor_remove": {"POST": ["mentor"]},
    "groups:form": {"GET": ["cohort"], "POST": ["?cohort"]},
    "groups:forming_status": {"GET": ["format"]},
    "cohort:groups": {"GET": ["cohort", "sort", "page"]},
    "mentor": {"GET": []},
    "mentor_nudge": {"POST": ["message"]},
    "events:list": {"GET": []},
    "events:rsvp": {"POST": ["going"]},
    "events:attended": {"POST": []},
    "events:staff_list": {"GET": ["cohort", "format"]},
    "events:staff_create": {"GET": ["cohort"], "POST": [*EVENT, "?cohort"]},
    "events:staff_edit": {"GET": [], "POST": EVENT},
    "events:staff_cancel": {"GET": [], "POST": []},  # GET asks (who will be emailed), POST cancels
    "integrations:slack_command": {"POST": ["team_id", "user_id", "command", "text"]},
    "integrations:slack_code": {"POST": []},
    "integrations:slack_unlink": {"POST": []},
    "timers:page": {"GET": []},
    "timers:start": {"POST": ["lesson", "next", "?next"]},
    "timers:stop": {"POST": ["note", "next", "?next"]},
    "timers:confirm": {"POST": ["minutes", "note"]},
    "timers:keep": {"POST": ["next", "?next"]},
    "timers:discard": {"POST": ["next", "?next"]},
}
# Keys read on every request by the machinery around the views: the CSRF check, and django-axes looking
# for a login's username. Fuzzed on every URL too.
FRAMEWORK_KEYS = ["csrfmiddlewaretoken", "username", "?username"]


class Raw(str):
    """A value sent exactly as written, so an invalid percent-escape reaches Django undecoded."""


HOSTILE = st.one_of(
    st.sampled_from([
        "\x00", "a\x00b", "x" * 10_000, "\u0661\u0662\u0663", "\U0001d7d7", "\u0663.\u0665", "9999-12-31", "0001-01-01",
        "99999-01-01", "2026-02-30", "nan", "inf", "-inf", "1e309", "-1", "0", "9" * 40, "", "   ", "<script>alert(1)</script>",
        "' OR 1=1 --", "1h30", "1:30", "on", "1", "csv", "json", "preview", "replan", "/", "//evil.example", "UTC",
        "Asia/Calcutta", "9999-12-31..9999-12-31",
    ]),
    st.sampled_from([Raw("%"), Raw("%zz"), Raw("%C3%28"), Raw("%FF%FE"), Raw("%00%00"), Raw("%E2%82")]),
    st.text(max_size=30),
)


def encode(params: dict[str, str]) -> str:
    return "&".join(f"{quote(key)}={value if isinstance(value, Raw) else quote(value, safe='')}" for key, value in params.items())


GROUP_PAGES = ["groups:detail", "groups:join", "groups:note", "groups:rename", "groups:member_add", "groups:member_remove", "groups:mentor_add", "groups:mentor_remove"]


def world_kwargs(owner: Enrollment) -> dict[str, dict]:
    log = StudyLog.objects.filter(enrollment=owner).first()
    group = Membership.objects.get(enrollment=owner).group
    item = ScheduleItem.objects.filter(plan__enrollment=owner, starts_on__isnull=False).first()
    return {
        "progress:log_edit": {"pk": log.pk}, "progress:log_delete": {"pk": log.pk},
        "progress:schedule_item_move": {"pk": item.pk},
        "progress:accomplishment_delete": {"pk": Accomplishment.objects.filter(enrollment=owner).first().pk},
        "progress:summary_write": {"week": 1}, "lessons:detail": {"slug": "welcome"}, "lessons:mark": {"slug": "welcome"},
        "cohort:student": {"enrollment_id": owner.pk}, "cohort:enroll_status": {"import_id": EnrollmentImport.objects.first().pk},
        "cohort:shortlist_pick": {"enrollment_id": owner.pk},
        "unsubscribe": {"token": unsubscribe_token(user_id=owner.user_id, kind="digest")},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        **{name: {"pk": group.pk} for name in GROUP_PAGES},
        "groups:forming_status": {"run_id": FormingRun.objects.first().pk},
        "mentor_nudge": {"enrollment_id": owner.pk},
        **{name: {"pk": Event.objects.first().pk} for name in ("events:rsvp", "events:attended", "events:staff_edit", "events:staff_cancel")},
        **{name: {"pk": StudyTimer.objects.get(enrollment=owner).pk} for name in ("timers:stop", "timers:confirm", "timers:keep", "timers:discard")},
    }


def build_world() -> Enrollment:
    owner = EnrollmentFactory()
    today = local_today(time_zone=owner.time_zone)
    StudyLogFactory(enrollment=owner, day=today, notes="kept **as is**")
    schedule_build(
        enrollment=owner, starts_on=owner.cohort.opens_on, target_on=owner.cohort.opens_on + dt.timedelta(days=40),
        weekday_hours=Decimal("4"), weekend_hours=Decimal("5"), days_off=[], accept_after_cutoff=True,
    )
    Accomplishment.objects.create(enrollment=owner, title="Mine", achieved_on=today, kind="other")
    EnrollmentImport.objects.create(cohort=owner.cohort, rows=[], total_rows=0)
    group = StudyGroup.objects.create(cohort=owner.cohort, name="Fuzzers", utc_offset=1, weekly_goal_hours=20, note="kept *note*")
    Membership.objects.create(enrollment=owner, group=group)
    Mentorship.objects.create(group=group, mentor=UserFactory(is_staff=True, email="mentor@example.org"))
    FormingRun.objects.create(cohort=owner.cohort, plan=[], total_groups=0)
    Event.objects.create(cohort=owner.cohort, title="AMA", host="H", starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
                         join_url="https://meet.example.org/a", description="kept")
    timer_start(enrollment=owner, lesson=StudyLog.objects.filter(enrollment=owner).first().lesson)
    rollups_rebuild()
    return owner


def saved_data() -> tuple:
    """Everything a person owns that a refused request must leave as it was."""
    return (
        list(StudyLog.objects.order_by("pk").values_list("enrollment_id", "day", "lesson_id", "minutes", "community_minutes", "notes")),
        list(StudyPlan.objects.order_by("pk").values_list("starts_on", "target_on", "weekday_hours", "weekend_hours", "days_off")),
        list(ScheduleItem.objects.order_by("pk").values_list("starts_on", "ends_on", "planned_minutes")),
        list(WeeklySummary.objects.order_by("pk").values_list("body", "is_shared")),
        list(Accomplishment.objects.order_by("pk").values_list("title", "achieved_on", "link")),
        list(ProjectSubmission.objects.order_by("pk").values_list("url", "description", "score")),
        list(Enrollment.objects.order_by("pk").values_list("time_zone", "weekday_goal_hours", "weekend_goal_hours", "wants_reminders", "wants_digests",
                                                          "wants_nudges", "wants_event_reminders", "calendar_all_events")),
        list(get_user_model().objects.order_by("pk").values_list("email", "full_name", "password", "wants_cohort_digest")),
        list(LessonProgress.objects.order_by("pk").values_list("enrollment_id", "lesson_id", "completed_on")),
        list(PhaseTwoPick.objects.order_by("pk").values_list("enrollment_id")),
        list(StudyGroup.objects.order_by("pk").values_list("name", "note", "capacity", "is_open")),
        list(Membership.objects.order_by("pk").values_list("enrollment_id", "group_id", "hides_numbers", "shows_place")),
        list(Mentorship.objects.order_by("pk").values_list("group_id", "mentor_id")),
        list(Event.objects.order_by("pk").values_list("title", "host", "starts_at", "duration_minutes", "join_url", "description", "cancelled_at")),
        list(Rsvp.objects.order_by("pk").values_list("event_id", "enrollment_id", "is_going", "attended_at")),
        list(StudyTimer.objects.order_by("pk").values_list("enrollment_id", "lesson_id", "started_at", "confirmed_at")),
    )


ROLES = ["anonymous", "student", "staff"]
# Requests whose success is a page rather than a redirect; the others are refused unless they redirect.
DONE_ON_200 = {("unsubscribe", "POST")}
REQUESTS = [(name, method) for name in sorted(INPUTS) for method in sorted(INPUTS[name])]


class FuzzEveryInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = build_world()
        cls.staff = UserFactory(is_staff=True)
        cls.kwargs = world_kwargs(cls.owner)

    def client_for(self, role: str) -> Client:
        client = Client()
        if role == "student":
            client.force_login(self.owner.user)
        elif role == "staff":
            client.force_login(self.staff)
        return client

    def send(self, client: Client, name: str, method: str, params: dict[str, str]):
        url = reverse(name, kwargs=self.kwargs.get(name))
        if method == "GET":
            return client.get(f"{url}?{encode({key.lstrip('?'): value for key, value in params.items()})}")
        query = {key[1:]: value for key, value in params.items() if key.startswith("?")}
        form = {key: value for key, value in params.items() if not key.startswith("?")}
        return client.generic("POST", f"{url}?{encode(query)}", encode(form), content_type="application/x-www-form-urlencoded")

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def test_no_input_anywhere_answers_500_or_changes_what_a_refusal_should_not(self, data):
        name, method = data.draw(st.sampled_from(REQUESTS), label="request")
        role = data.draw(st.sampled_from(ROLES), label="role")
        keys = INPUTS[name][method] + FRAMEWORK_KEYS
        chosen = data.draw(st.lists(st.sampled_from(keys), unique=True), label="keys")
        params = {key: data.draw(HOSTILE, label=key) for key in chosen}
        before = saved_data()
        response = self.send(self.client_for(role), name, method, params)
        assert response.status_code < 500, (name, method, role, params)
        if response.status_code not in (301, 302) and (name, method) not in DONE_ON_200:
            # Refused, or only shown: nothing saved may have changed.
            assert saved_data() == before, (name, method, role, params)

    def test_every_key_a_view_reads_is_fuzzed(self):
        read: dict[tuple[str, str], set[str]] = {}
        current: list[tuple[str, str]] = []
        # Every request.GET seen, kept alive so no later dict can take over its id: a POST's view may read the
        # query string too, and those keys are recorded with a "?".
        query_dicts: dict[int, QueryDict] = {}
        originals = {attr: getattr(QueryDict, attr) for attr in ("__getitem__", "get", "getlist", "__contains__")}
        original_get = WSGIRequest.__dict__["GET"]

        def recording(attr):
            def method(self, key, *args, **kwargs):
                if current:
                    name, method_ = current[0]
                    read.setdefault(current[0], set()).add(f"?{key}" if method_ == "POST" and id(self) in query_dicts else key)
                return originals[attr](self, key, *args, **kwargs)

            return method

        def query_dict(request):
            found = original_get.func(request)
            query_dicts[id(found)] = found
            return found

        recorded_get = cached_property(query_dict)
        recorded_get.__set_name__(WSGIRequest, "GET")
        for attr in originals:
            setattr(QueryDict, attr, recording(attr))
        WSGIRequest.GET = recorded_get
        try:
            for name, method in REQUESTS:
                for role in ROLES:
                    current[:] = [(name, method)]
                    self.send(self.client_for(role), name, method, {})
                    current.clear()
        finally:
            for attr, original in originals.items():
                setattr(QueryDict, attr, original)
            WSGIRequest.GET = original_get
        unlisted = {
            request: sorted(keys - set(INPUTS[request[0]][request[1]]) - set(FRAMEWORK_KEYS))
            for request, keys in read.items()
        }
        assert {request: keys for request, keys in unlisted.items() if keys} == {}


def test_every_url_has_its_inputs_listed():
    assert named_patterns() - set(INPUTS) == set()
    assert set(INPUTS) - named_patterns() == set()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["progress:log_edit", "progress:log_delete", "progress:schedule_item_move", "cohort:student"])
def test_ids_past_any_integer_column_are_not_found(client, name):
    huge = 10**30
    client.force_login(UserFactory(is_staff=True) if name.startswith("cohort") else EnrollmentFactory().user)
    kwargs = {"enrollment_id": huge} if name == "cohort:student" else {"pk": huge}
    assert client.get(reverse(name, kwargs=kwargs)).status_code in (404, 405)
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 404
