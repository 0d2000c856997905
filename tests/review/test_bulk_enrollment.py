import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from progress.models import Enrollment, StudentRollup
from progress.selectors.numbers import rollup_numbers, standings_for_many
from review import tasks as review_tasks
from review.models import EnrollmentImport
from review.services import enrollment_import as enrolment_service
from review.services.enrollment_import import EnrollmentFileInvalid, enrollment_file_validate, enrollment_import_apply, enrollment_import_create, enrollment_import_mark_failed
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = "email,full name,time zone\nada@example.org,Ada Lovelace,Europe/London\ngrace@example.org,Grace Hopper,America/New_York\nalan@example.org,Alan Turing,Europe/London\n"


def errors_of(text):
    with pytest.raises(EnrollmentFileInvalid) as excinfo:
        enrollment_file_validate(text=text)
    return [(error.line, error.message) for error in excinfo.value.errors]


def test_every_bad_line_is_listed_by_number():
    text = (
        "Email,Full name,Time zone,Weekday goal\n"
        "ok@example.org,Fine,UTC,3\n"
        "not-an-email,Bad Email,UTC,\n"
        "tz@example.org,Bad Zone,Mars/Base,\n"
        "OK@example.org,Duplicate,UTC,\n"
        "goal@example.org,Bad Goal,UTC,30\n"
        "noname@example.org,,UTC,\n"
    )
    found = errors_of(text)
    assert [line for line, _ in found] == [3, 4, 5, 6, 7]
    assert "not an email address" in found[0][1]
    assert "Mars/Base" in found[1][1]
    assert "already on line 2" in found[2][1]
    assert "between 0 and 24" in found[3][1]
    assert "full name is empty" in found[4][1]


def test_a_file_without_the_needed_columns_is_refused():
    assert errors_of("email,name\nx@example.org,X\n")[0][0] == 1
    assert errors_of("")[0][1] == "the file is empty"


def apply(text, cohort, **kwargs):
    rows = enrollment_file_validate(text=text)
    job = enrollment_import_create(cohort=cohort, rows=rows)
    return enrollment_import_apply(import_id=job.pk, **kwargs)


def test_new_students_get_accounts_without_passwords_and_a_working_set_password_email(client, cohort, mailoutbox):
    job = apply(GOOD, cohort)
    assert (job.state, job.created_accounts, job.enrolled_existing_accounts, job.already_enrolled) == ("done", 3, 0, 0)
    ada = get_user_model().objects.get(email="ada@example.org")
    assert not ada.has_usable_password()
    assert Enrollment.objects.get(user=ada, cohort=cohort).time_zone == "Europe/London"
    # Each new student is on the cohort page at once, with the numbers a recompute gives (none yet).
    enrolled = list(Enrollment.objects.filter(cohort=cohort).select_related("cohort"))
    kept = {rollup.enrollment_id: rollup_numbers(rollup) for rollup in StudentRollup.objects.filter(cohort=cohort)}
    assert kept == {pk: standing.numbers for pk, standing in standings_for_many(enrollments=enrolled).items()} and len(kept) == 3
    assert sorted(message.to[0] for message in mailoutbox) == ["ada@example.org", "alan@example.org", "grace@example.org"]
    message = next(m for m in mailoutbox if m.to == ["ada@example.org"])
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": "babbage-engine-1843", "new_password2": "babbage-engine-1843"})
    assert client.post(reverse("accounts:login"), {"username": "ada@example.org", "password": "babbage-engine-1843"}).status_code == 302


def test_existing_accounts_are_enrolled_without_a_second_account(cohort, mailoutbox):
    UserFactory(email="grace@example.org")
    job = apply(GOOD, cohort)
    assert (job.created_accounts, job.enrolled_existing_accounts) == (2, 1)
    assert get_user_model().objects.filter(email="grace@example.org").count() == 1
    assert "grace@example.org" not in [m.to[0] for m in mailoutbox]


def test_uploading_the_same_file_again_changes_nothing(cohort, mailoutbox):
    apply(GOOD, cohort)
    users, enrollments, mails = get_user_model().objects.count(), Enrollment.objects.count(), len(mailoutbox)
    again = apply(GOOD, cohort)
    assert (again.created_accounts, again.enrolled_existing_accounts, again.already_enrolled) == (0, 0, 3)
    assert (get_user_model().objects.count(), Enrollment.objects.count(), len(mailoutbox)) == (users, enrollments, mails)


def test_a_crash_mid_file_resumes_after_the_last_committed_batch(cohort, mailoutbox, monkeypatch):
    monkeypatch.setattr(enrolment_service, "BATCH_SIZE", 2)
    rows = enrollment_file_validate(text=GOOD + "edsger@example.org,Edsger Dijkstra,Europe/Amsterdam\nbarbara@example.org,Barbara Liskov,UTC\n")
    job = enrollment_import_create(cohort=cohort, rows=rows)
    real_batch = enrolment_service._apply_batch
    calls = {"n": 0}

    def crash_on_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real_batch(**kwargs)

    monkeypatch.setattr(enrolment_service, "_apply_batch", crash_on_second)
    with pytest.raises(RuntimeError):
        enrollment_import_apply(import_id=job.pk)
    job.refresh_from_db()
    assert job.processed_rows == 2
    finished = enrollment_import_apply(import_id=job.pk)
    assert (finished.state, finished.processed_rows, finished.created_accounts) == ("done", 5, 5)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(row["email"] for row in rows)  # each exactly once


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def upload(client, cohort, text):
    return client.post(
        reverse("cohort:enroll") + f"?cohort={cohort.slug}",
        {"file": SimpleUploadedFile("students.csv", text.encode("utf-8"), content_type="text/csv")},
    )


def test_upload_with_one_bad_line_applies_nothing_then_the_fixed_file_enrols_all(staff_client, cohort, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    bad = GOOD.replace("Alan Turing,Europe/London", "Alan Turing,Europe/Lodnon")
    response = upload(staff_client, cohort, bad)
    assert response.status_code == 200  # the form again, with the bad line named
    assert "Line 4: “Europe/Lodnon” is not a time zone we know" in response.content.decode()
    assert not EnrollmentImport.objects.exists() and not Enrollment.objects.filter(cohort=cohort).exists()
    monkeypatch.setattr(review_tasks.enrollment_import_apply, "delay", lambda import_id: review_tasks.enrollment_import_apply(import_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, cohort, GOOD)
    assert response.status_code == 302
    status = staff_client.get(response["Location"], {"format": "json"}).json()
    assert (status["state"], status["processed"], status["created_accounts"]) == ("done", 3, 3)
    assert len(mailoutbox) == 3
    html = staff_client.get(response["Location"]).content.decode()
    assert "3 of 3 rows applied" in re.sub(r"<[^>]+>", "", html)
    assert 'data-field="created_accounts">3<' in html


def test_students_can_not_upload(client, cohort):
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    assert upload(client, cohort, GOOD).status_code == 403


def test_import_students_command(cohort, tmp_path, mailoutbox):
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("ada@example.org", "ada-at-example"))
    with pytest.raises(CommandError, match="nothing was applied"):
        call_command("import_students", str(bad), "--cohort", cohort.slug, stdout=StringIO(), stderr=StringIO())
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    out = StringIO()
    call_command("import_students", str(good), "--cohort", cohort.slug, stdout=out)
    assert "3/3 rows" in out.getvalue() and "3 new accounts" in out.getvalue()
    assert len(mailoutbox) == 3


def test_a_failed_job_says_so(cohort):
    job = enrollment_import_create(cohort=cohort, rows=enrollment_file_validate(text=GOOD))
    enrollment_import_mark_failed(import_id=job.pk, error="RuntimeError: disk full")
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "RuntimeError: disk full")


def test_a_name_with_a_line_break_in_the_file_is_stored_on_one_line(db):
    """A quoted cell may hold a line break; stored as typed, it would stop every email whose subject names the student."""
    from review.services.enrollment_import import enrollment_file_validate

    rows = enrollment_file_validate(text='email,full name,time zone\nann@example.com,"Ann\r\nLee",Europe/Berlin\n')
    assert [row["full_name"] for row in rows] == ["Ann Lee"]
