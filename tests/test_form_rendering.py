"""Forms are drawn in Python (scholarship.form_rendering) for speed: the HTML must be what Django's
templates draw, and the study log form must still show labels, errors, help and what was typed."""

import datetime as dt

import pytest
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from accounts.forms import SignUpForm
from progress.forms import (
    AccomplishmentForm,
    ProfileForm,
    ProjectForm,
    ScheduleForm,
    ScheduleItemMoveForm,
    StudyLogForm,
    WeeklySummaryForm,
)
from scholarship.form_rendering import BootstrapFormRenderer
from tests.factories import EnrollmentFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)
JUNK = {
    "day": "2030-02-30", "lesson": "99", "minutes": 'x"><script>alert(1)</script>', "community_minutes": "", "notes": "<b>bold</b> & 'quoted'",
    "body": "", "is_shared": "on", "full_name": "A <B>", "time_zone": "Europe/Berlin", "weekday_goal_hours": "-1",
    "wants_reminders": "on", "starts_on": "yesterday", "target_on": "", "weekday_hours": "3", "days_off": "2026-12-24..2026-12-26",
    "accept_after_cutoff": "", "url": "not a url", "description": "", "score": "101", "title": "", "achieved_on": "",
    "kind": "", "link": "javascript:alert(1)", "email": "no-at-sign", "password1": "a", "password2": "b",
}
FORMS = [
    lambda **kw: StudyLogForm(today=TODAY, **kw),
    WeeklySummaryForm,
    ProfileForm,
    ScheduleForm,
    ScheduleItemMoveForm,
    ProjectForm,
    AccomplishmentForm,
    SignUpForm,
]


@pytest.mark.parametrize("make_form", FORMS)
@pytest.mark.parametrize("bound", [False, True], ids=["empty", "with errors"])
def test_every_widget_draws_as_djangos_templates_draw_it(make_form, bound):
    data = JUNK if bound else None
    ours = make_form(data=data, renderer=BootstrapFormRenderer())
    djangos = make_form(data=data, renderer=DjangoTemplates())
    if bound:
        assert not ours.is_valid() and not djangos.is_valid()
    for name in ours.fields:
        expected = djangos[name].as_widget(attrs={"class": "form-control"})
        assert ours[name].as_widget(attrs={"class": "form-control"}) == expected, name
        assert "<script>" not in expected


def test_a_rejected_log_shows_each_field_with_its_error_and_keeps_what_was_typed(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.user)
    typed = {"day": enrollment.cohort.opens_on.isoformat(), "lesson": "3", "minutes": "lots", "notes": "<b>keep</b> this"}

    response = client.post(reverse("progress:log_create"), typed)

    html = response.content.decode()
    assert response.status_code == 200
    assert form_errors(response) == ["“lots” is not a time we can read. Try 1.5, 1:30, 1h30 or 90m."]
    assert '<label for="id_minutes" class="form-label requiredField">Time studied<span class="asteriskField">*</span></label>' in html
    assert 'value="lots" inputmode="decimal"' in html and "is-invalid" in html
    assert 'aria-describedby="id_minutes_helptext id_minutes_error"' in html
    assert '<option value="3" selected>' in html
    assert "&lt;b&gt;keep&lt;/b&gt; this</textarea>" in html
    assert '<div id="id_notes_helptext" class="form-text">Markdown.' in html
