import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from progress.models import Enrollment
from tests.factories import PASSWORD, CohortFactory, EnrollmentFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db
SIGN_UP = reverse("accounts:signup")


def sign_up_data(**overrides):
    data = {
        "full_name": "Ada Lovelace",
        "email": "Ada@Example.com",
        "password1": "analytical-engine-1843",
        "password2": "analytical-engine-1843",
        "time_zone": "Europe/London",
    }
    data.update(overrides)
    return data


def test_sign_up_creates_the_account_enrols_it_in_the_open_cohort_and_logs_in(client, cohort):
    response = client.post(SIGN_UP, sign_up_data())
    assert response.status_code == 302 and response["Location"] == reverse("progress:dashboard")
    user = User.objects.get()
    assert (user.email, user.full_name) == ("ada@example.com", "Ada Lovelace")
    enrollment = Enrollment.objects.get(user=user)
    assert (enrollment.cohort, enrollment.time_zone) == (cohort, "Europe/London")
    assert (enrollment.weekday_goal_hours, enrollment.weekend_goal_hours) == (Decimal("3.5"), Decimal("5.0"))
    assert enrollment.wants_reminders and enrollment.wants_digests
    assert client.get(reverse("progress:dashboard")).status_code == 200


def test_sign_up_skips_closed_cohorts_and_those_not_taking_students(client, cohort):
    CohortFactory(cutoff_at=timezone.now() - dt.timedelta(days=1))
    CohortFactory(accepts_signups=False, cutoff_at=cohort.cutoff_at - dt.timedelta(days=3))
    client.post(SIGN_UP, sign_up_data())
    assert Enrollment.objects.get().cohort == cohort


def test_sign_up_page_says_closed_when_no_cohort_is_open(client, db):
    response = client.get(SIGN_UP)
    assert b"Sign-up is closed" in response.content
    client.post(SIGN_UP, sign_up_data())
    assert not User.objects.exists()


def test_sign_up_with_a_taken_email_keeps_what_was_typed_and_says_why(client, cohort):
    EnrollmentFactory(cohort=cohort, user__email="ada@example.com")
    response = client.post(SIGN_UP, sign_up_data(full_name="Ada Again"))
    assert any("already exists" in error for error in form_errors(response))
    assert 'value="Ada Again"' in response.content.decode()
    assert User.objects.count() == 1


def test_mismatched_passwords_are_a_form_error_and_nothing_is_created(client, cohort):
    response = client.post(SIGN_UP, sign_up_data(password2="something-else-entirely"))
    assert "The two passwords do not match." in form_errors(response)
    assert not User.objects.exists()


def test_unknown_time_zone_is_refused(client, cohort):
    response = client.post(SIGN_UP, sign_up_data(time_zone="Mars/Olympus_Mons"))
    assert form_errors(response)
    assert not User.objects.exists()


def test_fresh_sign_up_form_lets_the_browser_zone_be_preselected_but_a_reshown_one_keeps_the_pick(client, cohort):
    assert b"data-browser-time-zone" in client.get(SIGN_UP).content
    reshown = client.post(SIGN_UP, sign_up_data(password2="nope-nope-nope", time_zone="Asia/Tokyo"))
    assert b"data-browser-time-zone" not in reshown.content
    assert re.search(r'<option value="Asia/Tokyo"\s+selected>', reshown.content.decode())


def test_login_is_by_email_ignoring_case(client, enrollment):
    response = client.post(
        reverse("accounts:login"), {"username": enrollment.user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("progress:dashboard")


def test_staff_land_on_the_cohort_page_after_login(client, cohort):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, email="coach@example.org")
    response = client.post(reverse("accounts:login"), {"username": staff.email, "password": "correct horse battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cohort:dashboard")


def test_wrong_password_is_a_form_error(client, enrollment):
    response = client.post(reverse("accounts:login"), {"username": enrollment.user.email, "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct" in response.content


def test_logout_is_a_post_that_ends_the_session(student_client):
    assert student_client.post(reverse("accounts:logout")).status_code == 302
    assert student_client.get(reverse("progress:dashboard")).status_code == 302


def test_password_reset_email_is_written_under_the_mail_folder_and_its_link_works(client, enrollment, settings, tmp_path):
    settings.EMAIL_BACKEND = "common.mail.OneFilePerMessageBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    response = client.post(reverse("accounts:password_reset"), {"email": enrollment.user.email})
    assert response.status_code == 302
    files = list(Path(settings.EMAIL_FILE_PATH).iterdir())
    assert len(files) == 1
    message = files[0].read_text()
    assert f"To: {enrollment.user.email}" in message
    assert "Choose a new password" in message
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message).group(1)
    set_password_page = client.get(link, follow=True)
    assert b"Choose a new password" in set_password_page.content
    done = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-secret-42", "new_password2": "brand-new-secret-42"},
    )
    assert done.status_code == 302
    enrollment.user.refresh_from_db()
    assert enrollment.user.check_password("brand-new-secret-42")


def test_profile_saves_zone_goals_and_email_choices(student_client, enrollment):
    response = student_client.post(
        reverse("progress:profile"),
        {
            "full_name": "New Name",
            "time_zone": "America/Sao_Paulo",
            "weekday_goal_hours": "4",
            "weekend_goal_hours": "6.5",
            "wants_digests": "on",
        },
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.time_zone == "America/Sao_Paulo"
    assert (enrollment.weekday_goal_hours, enrollment.weekend_goal_hours) == (Decimal("4.0"), Decimal("6.5"))
    assert (enrollment.wants_reminders, enrollment.wants_digests) == (False, True)
    assert enrollment.user.full_name == "New Name"


def test_profile_rejects_a_goal_over_24_hours_and_keeps_the_old_one(student_client, enrollment):
    response = student_client.post(
        reverse("progress:profile"),
        {"full_name": "X", "time_zone": "UTC", "weekday_goal_hours": "25", "weekend_goal_hours": "5"},
    )
    assert response.status_code == 200 and form_errors(response)
    assert 'value="25"' in response.content.decode()
    enrollment.refresh_from_db()
    assert (enrollment.weekday_goal_hours, enrollment.time_zone) == (Decimal("3.5"), "Europe/Berlin")


def test_home_page_welcomes_visitors_and_sends_students_to_their_dashboard(client, enrollment):
    assert b"Finish the course before the cut-off" in client.get("/").content
    client.force_login(enrollment.user)
    assert client.get("/")["Location"] == reverse("progress:dashboard")
