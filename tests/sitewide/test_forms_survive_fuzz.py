"""Random unicode, over-long strings, NUL bytes and wrong types into every form: a form error or a 4xx, never a 500,
and the student's saved data unchanged."""


import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from progress.models import Enrollment, StudyLog
from progress.selectors.reflection import summary_current_week
from tests.factories import EnrollmentFactory, StudyLogFactory, UserFactory

NASTY = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=1, max_value=4).map(lambda n: "ab\u00e9\u4e2d" * (6_000 * n)),  # over every length limit
    st.sampled_from(["\x00", "a\x00b", "-1", "1e309", "NaN", "[]", "{}", "0x10", "9" * 40, "2026-02-30", "\ud7ff", "   "]),
)
FORMS = {
    "progress:log_create": ["day", "lesson", "minutes", "community_minutes", "notes"],
    "progress:profile": ["full_name", "time_zone", "weekday_goal_hours", "weekend_goal_hours", "wants_reminders"],
    "progress:schedule": ["starts_on", "target_on", "weekday_hours", "weekend_hours", "days_off", "accept_after_cutoff"],
    "progress:project": ["url", "description", "score"],
    "progress:accomplishment_add": ["title", "achieved_on", "kind", "link"],
    "progress:summary_write": ["body", "is_shared", "action"],
}


class FuzzFormsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.enrollment = EnrollmentFactory()
        cls.log = StudyLogFactory(enrollment=cls.enrollment, day=cls.enrollment.cohort.opens_on, minutes=45, notes="keep me")

    def snapshot(self):
        enrollment = Enrollment.objects.get(pk=self.enrollment.pk)
        return (
            list(StudyLog.objects.filter(enrollment=enrollment).values_list("day", "lesson_id", "minutes", "notes")),
            enrollment.time_zone,
            enrollment.weekday_goal_hours,
        )

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(name=st.sampled_from(sorted(FORMS)), values=st.lists(NASTY, min_size=6, max_size=6))
    def test_no_form_answers_500_and_nothing_saved_changes_on_bad_input(self, name, values):
        client = Client()
        client.force_login(self.enrollment.user)
        data = dict(zip(FORMS[name], values))
        kwargs = {"week": summary_current_week(enrollment=self.enrollment)} if name == "progress:summary_write" else None
        before = self.snapshot()
        response = client.post(reverse(name, kwargs=kwargs), data)
        assert response.status_code < 500, (name, data)
        if response.status_code != 302:  # refused: nothing already saved may have changed
            assert self.snapshot() == before, (name, data)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ["\x00", "a" * 300, "\u202e\u4e2d\U0001f600", "x\x00@example.org"])
def test_signup_and_login_refuse_bad_input_without_a_500(client, payload):
    from tests.factories import CohortFactory

    CohortFactory()
    for url, data in (
        (reverse("accounts:signup"), {"full_name": payload, "email": payload, "password1": payload, "password2": payload, "time_zone": payload}),
        (reverse("accounts:login"), {"username": payload, "password": payload}),
        (reverse("accounts:password_reset"), {"email": payload}),
    ):
        assert client.post(url, data).status_code < 500, (url, payload)


@pytest.mark.django_db
def test_staff_upload_of_binary_junk_is_a_form_error(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import CohortFactory

    CohortFactory()
    client.force_login(UserFactory(is_staff=True))
    for junk in (b"\xff\xfe\x00\x00garbage", b"email,full name,time zone\n\x00,\x00,\x00\n", b""):
        response = client.post(reverse("cohort:enroll"), {"file": SimpleUploadedFile("x.csv", junk)})
        assert response.status_code < 500
