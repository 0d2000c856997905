import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from progress.models import Cohort
from tests.factories import LessonProgressFactory, StudyLogFactory

pytestmark = pytest.mark.django_db
# What the cohort form shows pre-filled: risk rule numbers and shortlist weights.
COHORT_DEFAULTS = {
    "at_risk_idle_days": "5", "at_risk_silent_weeks": "1", "weight_lessons": "40", "weight_project": "25",
    "weight_consistency": "20", "weight_summaries": "10", "weight_community": "5",
}


def test_every_model_has_a_working_admin_list_with_search_and_filters(admin_client):
    StudyLogFactory()
    LessonProgressFactory()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"accounts", "lessons", "progress"}:
            continue
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url, {"q": "a"}).status_code == 200, url
        add = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        # A job's record (a cohort-wide recompute) is written by its job, never added by hand.
        assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403), model


def test_students_can_not_open_the_admin(student_client):
    response = student_client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_cohort_cutoff_is_entered_as_a_local_date_and_time_and_stored_as_that_instant(admin_client):
    response = admin_client.post(
        reverse("admin:progress_cohort_add"),
        {
            "name": "Spring cohort",
            "slug": "spring",
            "opens_on": "2027-03-01",
            "time_zone": "Europe/Berlin",
            "cutoff_date": "2027-04-30",
            "cutoff_time": "23:59",
            "phase_two_seats": "300",
            "accepts_signups": "on",
            **COHORT_DEFAULTS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort = Cohort.objects.get(slug="spring")
    assert cohort.cutoff_at == dt.datetime(2027, 4, 30, 21, 59, tzinfo=dt.UTC)  # CEST is UTC+2
    assert cohort.cutoff_local.strftime("%Y-%m-%d %H:%M %Z") == "2027-04-30 23:59 CEST"


def test_cohort_cutoff_time_defaults_to_2359(admin_client):
    html = admin_client.get(reverse("admin:progress_cohort_add")).content.decode()
    assert 'name="cutoff_time" value="23:59:00"' in html or 'name="cutoff_time" value="23:59"' in html


def test_cutoff_before_opening_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:progress_cohort_add"),
        {
            "name": "Backwards",
            "slug": "backwards",
            "opens_on": "2027-03-01",
            "time_zone": "UTC",
            "cutoff_date": "2027-02-01",
            "cutoff_time": "23:59",
            "phase_two_seats": "300",
            **COHORT_DEFAULTS,
        },
    )
    assert response.status_code == 200
    assert "The cut-off must come after the opening day." in response.content.decode()
    assert not Cohort.objects.filter(slug="backwards").exists()


def test_shortlist_weights_must_add_up_to_100(admin_client):
    response = admin_client.post(
        reverse("admin:progress_cohort_add"),
        {
            "name": "Odd weights", "slug": "odd", "opens_on": "2027-03-01", "time_zone": "UTC", "cutoff_date": "2027-04-30",
            "cutoff_time": "23:59", "phase_two_seats": "300", **COHORT_DEFAULTS, "weight_lessons": "50",
        },
    )
    assert response.status_code == 200
    assert "must add up to 100 (they add up to 110)" in response.content.decode()
    assert not Cohort.objects.filter(slug="odd").exists()


def test_a_log_added_in_the_admin_shows_in_the_students_rollup_with_no_read_between(admin_client):
    from progress.models import StudentRollup
    from tests.factories import EnrollmentFactory

    enrollment = EnrollmentFactory()
    response = admin_client.post(
        reverse("admin:progress_studylog_add"),
        {"enrollment": enrollment.pk, "day": enrollment.cohort.opens_on.isoformat(), "lesson": 2, "minutes": 75,
         "community_minutes": 0, "notes": ""},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert StudentRollup.objects.get(enrollment=enrollment).total_minutes == 75  # written with the log, not when read
