"""Each input that answered 500 on PostgreSQL before: now a 400, a 404 or a form error saying what to fix,
with nothing already saved changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.timezones import local_today
from notifications.services.unsubscribe import UNSUBSCRIBE_SALT
from progress.models import Enrollment, ScheduleItem, StudyPlan
from progress.selectors.enrollments import enrollment_cutoff_day
from progress.selectors.reflection import summary_current_week
from progress.services.plans import schedule_build
from progress.services.reflection import accomplishment_add, project_submit, weekly_summary_save
from progress.services.study_logs import study_log_save
from review.models import EnrollmentImport
from review.selectors.cohorts import cohort_time_zones
from progress.services.rollups import rollups_rebuild
from tests.factories import EnrollmentFactory, UserFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, cohort):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_a_nul_calendar_token_is_not_found(client):
    assert client.get(reverse("progress:schedule_ics") + "?token=%00").status_code == 404


def test_logging_in_with_an_email_longer_than_any_account_is_a_form_error(client):
    long_email = "a" * 250 + "@example.org"
    response = client.post(reverse("accounts:login"), {"username": long_email, "password": "whatever"})
    assert response.status_code == 200
    assert any("at most 254 characters" in error for error in form_errors(response))


def test_signing_up_with_a_302_character_email_is_a_form_error(client, cohort):
    email = "b" * 290 + "@example.org"
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Long Mail", "email": email, "password1": "a-fine-passphrase-1", "password2": "a-fine-passphrase-1", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert any("at most 254 characters" in error for error in form_errors(response))
    assert not get_user_model().objects.filter(full_name="Long Mail").exists()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("cohort:dashboard", "q=%00"), ("cohort:dashboard", "cohort=%00"), ("cohort:dashboard", "tz=%00"),
        ("cohort:dashboard", "lesson=99"), ("cohort:dashboard", "sort=%00"), ("cohort:shortlist", "cohort=%00"),
        ("cohort:enroll", "cohort=%00"), ("emails_preview", "cohort=%00"), ("emails_preview", "student=1e309"),
        ("cohort:export", "q=%00"),
    ],
)
def test_a_refused_query_parameter_is_a_400_that_names_it(staff_client, name, query):
    labels = {"q": "Search", "cohort": "Cohort", "tz": "Time zone", "lesson": "Lesson reached", "sort": "Sort", "student": "Student"}
    response = staff_client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not read that address" in html
    assert f"<li>{labels[query.split('=')[0]]}: " in html


def test_the_400_page_says_which_parameter_and_why(staff_client):
    html = staff_client.get(reverse("cohort:dashboard") + "?q=" + "x" * 101).content.decode()
    assert "Search: Ensure this value has at most 100 characters (it has 101)." in html


def upload(client, cohort, data: bytes):
    return client.post(f"{reverse('cohort:enroll')}?cohort={cohort.slug}", {"file": SimpleUploadedFile("students.csv", data)})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nul@example.org,Nul\x00Name,UTC", "the full name contains a NUL character"),
        ("nan@example.org,Nan Goal,UTC,nan", "weekday goal “nan” is not a number of hours"),
        ("inf@example.org,Inf Goal,UTC,inf", "weekday goal “inf” is not a number of hours"),
        ("dec@example.org,Three Decimals,UTC,3.555", "weekday goal “3.555” is not a number of hours"),
        ("long@example.org," + "N" * 151 + ",UTC", "the full name is 151 characters long; at most 150 fit"),
        ("huge@example.org," + "N" * 140_000 + ",UTC", "this line can not be read as CSV"),
    ],
)
def test_an_enrolment_file_with_hostile_cells_lists_the_line_and_applies_nothing(staff_client, cohort, row, message):
    response = upload(staff_client, cohort, f"email,full name,time zone,weekday goal\nok@example.org,Fine,UTC,3\n{row}\n".encode())
    assert response.status_code == 200
    assert f"Line 3: {message}" in response.content.decode()
    assert not EnrollmentImport.objects.exists() and not Enrollment.objects.filter(cohort=cohort).exists()


@pytest.mark.parametrize("next_url", ["foo", "https://evil.example/", "//evil.example/x", "/\x00"])
def test_digest_preference_never_follows_a_foreign_or_broken_next(staff_client, next_url):
    response = staff_client.post(reverse("staff_digest_preference"), {"wanted": "0", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("cohort:dashboard")


def test_digest_preference_returns_to_the_page_it_came_from(staff_client):
    back = reverse("cohort:dashboard") + "?show=at_risk"
    assert staff_client.post(reverse("staff_digest_preference"), {"wanted": "1", "next": back})["Location"] == back


@pytest.mark.parametrize("payload", ["not a dict", {"u": "abc", "k": "digest"}, {"u": 1}, {"u": True, "k": "digest"}, ["u", 1]])
def test_an_unsubscribe_token_signed_but_malformed_is_a_400(client, payload):
    token = signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)
    assert client.get(reverse("unsubscribe", kwargs={"token": token})).status_code == 400
    assert client.post(reverse("unsubscribe", kwargs={"token": token})).status_code == 400


@pytest.fixture
def planned(enrollment):
    cohort = enrollment.cohort
    schedule_build(
        enrollment=enrollment, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=40),
        weekday_hours=Decimal("4"), weekend_hours=Decimal("5"), days_off=[], accept_after_cutoff=True,
    )
    return ScheduleItem.objects.filter(plan__enrollment=enrollment, starts_on__isnull=False).order_by("lesson__number").first()


@pytest.mark.parametrize("ends_on", ["9999-12-30", "9999-12-31"])
def test_moving_a_lesson_past_the_cut_off_is_refused_and_the_schedule_still_opens(student_client, enrollment, planned, ends_on):
    before = list(ScheduleItem.objects.filter(plan__enrollment=enrollment).values_list("starts_on", "ends_on"))
    response = student_client.post(reverse("progress:schedule_item_move", kwargs={"pk": planned.pk}), {"ends_on": ends_on}, follow=True)
    assert response.status_code == 200
    cutoff_day = enrollment_cutoff_day(enrollment=enrollment)
    assert f"The course closes on {cutoff_day:%-d %b %Y}; end on or before that day." in response.content.decode()
    assert list(ScheduleItem.objects.filter(plan__enrollment=enrollment).values_list("starts_on", "ends_on")) == before


def test_a_thousand_year_long_days_off_ranges_are_refused_without_counting_them(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    ranges = "\n".join(f"{2000 + n}-01-01..{2000 + n}-12-31" for n in range(2_000))
    data = {"starts_on": today.isoformat(), "target_on": (today + dt.timedelta(days=30)).isoformat(),
            "weekday_hours": "4", "weekend_hours": "5", "days_off": ranges}
    response = student_client.post(reverse("progress:schedule"), data)
    assert response.status_code == 200
    assert not StudyPlan.objects.exists()
    assert any("at most 2,000 characters" in error or "At most 100 days" in error for error in form_errors(response))


def test_days_off_outside_the_course_are_a_form_error_naming_the_window(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    data = {"starts_on": today.isoformat(), "target_on": (today + dt.timedelta(days=30)).isoformat(),
            "weekday_hours": "4", "weekend_hours": "5", "days_off": "2030-01-01..2030-01-03"}
    response = student_client.post(reverse("progress:schedule"), data)
    assert any("Days off lie inside the course" in error and "2030-01-01..2030-01-03 is not" in error for error in form_errors(response))
    assert not StudyPlan.objects.exists()


def test_a_plan_broken_before_these_checks_is_repaired_and_its_page_opens(student_client, enrollment, planned):
    """What the 0006 migration does for rows stored before: here written directly, then repaired by the same code."""
    import importlib

    from django.apps import apps

    ScheduleItem.objects.filter(pk=planned.pk).update(ends_on=dt.date(9999, 12, 30))
    StudyPlan.objects.filter(enrollment=enrollment).update(days_off=[f"{1900 + n}-06-01" for n in range(300)])
    importlib.import_module("progress.migrations.0006_repair_hostile_input").repair(apps, None)
    cutoff_day = enrollment_cutoff_day(enrollment=enrollment)
    assert ScheduleItem.objects.get(pk=planned.pk).ends_on == cutoff_day
    assert StudyPlan.objects.get(enrollment=enrollment).days_off == []
    assert student_client.get(reverse("progress:schedule")).status_code == 200


def test_a_hostile_suggestion_on_the_new_log_link_is_a_400(student_client):
    assert student_client.get(reverse("progress:log_create") + "?day=%00").status_code == 400
    assert student_client.get(reverse("progress:log_create") + "?lesson=99999999999999999999").status_code == 400
    assert student_client.get(reverse("progress:log_create") + "?day=2026-12-01&lesson=3").status_code == 200


def test_an_old_zone_spelling_is_stored_under_its_current_name(client, cohort):
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "Priya", "email": "priya@example.org", "password1": "a-fine-passphrase-1",
         "password2": "a-fine-passphrase-1", "time_zone": "Asia/Calcutta"},
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(user__email="priya@example.org").time_zone == "Asia/Kolkata"


def test_the_cohort_filter_offers_one_name_per_zone_after_the_repair(staff_client, cohort):
    import importlib

    from django.apps import apps

    EnrollmentFactory(cohort=cohort, time_zone="Asia/Kolkata")
    Enrollment.objects.filter(pk=EnrollmentFactory(cohort=cohort).pk).update(time_zone="Asia/Calcutta")
    importlib.import_module("progress.migrations.0006_repair_hostile_input").repair(apps, None)
    rollups_rebuild(cohort_id=cohort.pk)
    assert cohort_time_zones(cohort=cohort).count("Asia/Kolkata") == 1
    assert "Asia/Calcutta" not in cohort_time_zones(cohort=cohort)
    # A bookmarked address with the old spelling finds both students.
    html = staff_client.get(reverse("cohort:dashboard") + "?tz=Asia/Calcutta").content.decode()
    assert html.count('href="/cohort/students/') == 2


def test_services_refuse_nul_whoever_calls_them(enrollment):
    """A form refuses NUL itself; a service must too, for callers without a form (commands, integrations)."""
    from django.core.exceptions import ValidationError

    from lessons.models import Lesson

    week = summary_current_week(enrollment=enrollment)
    today = local_today(time_zone=enrollment.time_zone)
    calls = [
        lambda: weekly_summary_save(enrollment=enrollment, week_number=week, body="a\x00b", is_shared=True),
        lambda: study_log_save(enrollment=enrollment, day=today, lesson=Lesson.objects.get(number=2), minutes=30, notes="\x00"),
        lambda: project_submit(enrollment=enrollment, url="https://x.org/\x00", description="", score=None),
        lambda: accomplishment_add(enrollment=enrollment, title="\x00", achieved_on=today, link="", kind="other"),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="NUL"):
            call()
