"""What a student reads and changes through the API is what their pages show, through the pages' own services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken
from groups.models import Membership
from progress.dashboard import dashboard_context
from progress.models import LessonProgress, StudyLog
from progress.services.plans import schedule_build
from progress.services.reflection import weekly_summary_save
from progress.services.rollups import rollups_refresh
from tests.factories import EnrollmentFactory, EventFactory, StudyGroupFactory, StudyLogFactory, member_of

pytestmark = pytest.mark.django_db


def test_me_names_the_student_their_cohort_and_today(api, enrollment):
    me = api.get(reverse("api:me")).json()
    assert me["email"] == enrollment.user.email and me["is_staff"] is False
    assert me["enrollment"]["cohort"]["slug"] == enrollment.cohort.slug
    assert me["enrollment"]["time_zone"] == "Europe/Berlin"
    assert me["token"]["scope"] == AccessToken.Scope.WRITE


def test_lessons_carry_the_students_minutes_and_done_flag(api, enrollment, lessons):
    StudyLogFactory(enrollment=enrollment, lesson=lessons[1], minutes=75)
    LessonProgress.objects.create(enrollment=enrollment, lesson=lessons[0], completed_on=enrollment.cohort.opens_on)
    rollups_refresh(enrollment_ids=[enrollment.pk])
    rows = api.get(reverse("api:lessons")).json()
    assert [row["number"] for row in rows] == [lesson.number for lesson in lessons]
    assert rows[0]["done"] is True and rows[0]["completed_on"] == str(enrollment.cohort.opens_on)
    assert rows[1]["logged_minutes"] == 75 and rows[1]["done"] is False


def test_the_status_is_the_dashboards_verdict(api, enrollment):
    StudyLogFactory(enrollment=enrollment, day=enrollment.cohort.opens_on, minutes=120)
    status = api.get(reverse("api:status")).json()
    shown = dashboard_context(enrollment=enrollment)["status"]
    assert status["verdict"] == shown.verdict.value and status["label"] == shown.verdict.label
    assert status["headline"] == shown.headline
    assert [reason["code"] for reason in status["reasons"]] == [reason.value for reason in shown.reasons]
    assert [reason["words"] for reason in status["reasons"]] == shown.reason_words
    assert status["minutes_last_7_days"] == shown.minutes_last_7_days
    assert status["forecast"] == (str(shown.forecast) if shown.forecast else None)


def test_a_log_edited_and_deleted_through_the_api_moves_the_dashboard(api, enrollment, lessons):
    log = StudyLogFactory(enrollment=enrollment, day=enrollment.cohort.opens_on, minutes=60)
    edited = api.patch(reverse("api:log", args=[log.pk]), {"minutes": 150, "notes": "Longer than I said"})
    assert edited.status_code == 200 and edited.json()["minutes"] == 150 and edited.json()["notes"] == "Longer than I said"
    assert dashboard_context(enrollment=enrollment)["status"].numbers.total_minutes == 150
    assert api.get(reverse("api:log", args=[log.pk])).json()["minutes"] == 150
    assert api.delete(reverse("api:log", args=[log.pk])).status_code == 204
    assert not StudyLog.objects.exists()
    assert dashboard_context(enrollment=enrollment)["status"].numbers.total_minutes == 0


def test_an_edit_onto_a_lesson_already_logged_that_day_is_refused(api, enrollment, lessons):
    day = enrollment.cohort.opens_on
    StudyLogFactory(enrollment=enrollment, day=day, lesson=lessons[0])
    second = StudyLogFactory(enrollment=enrollment, day=day, lesson=lessons[1])
    response = api.patch(reverse("api:log", args=[second.pk]), {"lesson": 1})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["lesson"]


def test_the_plan_is_404_until_there_is_one(api, enrollment):
    assert api.get(reverse("api:plan")).status_code == 404
    opens = enrollment.cohort.opens_on
    schedule_build(enrollment=enrollment, starts_on=opens, target_on=opens + dt.timedelta(days=40), weekday_hours=Decimal("4"),
                   weekend_hours=Decimal("5"), days_off=[opens + dt.timedelta(days=3)], accept_after_cutoff=True)
    plan = api.get(reverse("api:plan")).json()
    assert plan["starts_on"] == str(opens) and plan["weekday_hours"] == 4.0
    assert plan["days_off"] == [str(opens + dt.timedelta(days=3))]
    assert [item["lesson"] for item in plan["items"]] == sorted(item["lesson"] for item in plan["items"])


def test_summaries_are_the_students_own(api, enrollment):
    weekly_summary_save(enrollment=enrollment, week_number=1, body="Mine", is_shared=False)
    other = EnrollmentFactory(cohort=enrollment.cohort)
    weekly_summary_save(enrollment=other, week_number=1, body="Theirs", is_shared=True)
    assert [summary["body"] for summary in api.get(reverse("api:summaries")).json()] == ["Mine"]


def test_events_list_the_cohorts_with_the_students_rsvp(api, enrollment):
    event = EventFactory(cohort=enrollment.cohort)
    EventFactory()  # another cohort's
    listed = api.get(reverse("api:events")).json()
    assert [(row["id"], row["going"]) for row in listed["upcoming"]] == [(event.pk, False)] and listed["past"] == []
    assert api.post(reverse("api:event_rsvp", args=[event.pk]), {"going": True}).json() == {"event": event.pk, "going": True}
    assert api.get(reverse("api:events")).json()["upcoming"][0]["going"] is True
    api.post(reverse("api:event_rsvp", args=[event.pk]), {"going": False})
    assert api.get(reverse("api:events")).json()["upcoming"][0]["going"] is False


def test_the_group_shows_members_as_the_group_page_does(api, enrollment):
    assert api.get(reverse("api:group")).status_code == 404
    group = StudyGroupFactory(cohort=enrollment.cohort)
    Membership.objects.create(enrollment=enrollment, group=group)
    shy = member_of(group)
    Membership.objects.filter(enrollment=shy).update(hides_numbers=True)
    StudyLogFactory(enrollment=shy, day=timezone.localdate(), minutes=300)
    body = api.get(reverse("api:group")).json()
    assert body["name"] == group.name
    rows = {row["name"]: row for row in body["members"]}
    assert rows[shy.user.full_name]["hidden"] is True and rows[shy.user.full_name]["week_minutes"] is None
    assert rows[enrollment.user.full_name]["is_you"] is True
    assert body["not_counted"] == 1
