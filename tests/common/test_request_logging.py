"""A student's 403 on a staff page is one line in the log, not a traceback (twice)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_students_403_on_a_staff_page_is_one_line(student_client, log_output):
    assert student_client.get(reverse("cohort:dashboard")).status_code == 403
    lines = [line for line in log_output.getvalue().splitlines() if line.strip()]
    assert lines == ["Forbidden (Permission denied): /cohort/"]


@pytest.mark.django_db
def test_a_server_error_still_logs_its_traceback(client, log_output, monkeypatch):
    from progress.views import dashboard as views

    def broken(*args, **kwargs):
        raise RuntimeError("a real fault")

    monkeypatch.setattr(views, "cohort_open_for_signup", broken)
    client.raise_request_exception = False
    assert client.get(reverse("home")).status_code == 500
    assert "Traceback" in log_output.getvalue() and "RuntimeError: a real fault" in log_output.getvalue()
