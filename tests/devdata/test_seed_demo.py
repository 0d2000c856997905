import datetime as dt
from io import StringIO

import pytest
from django.urls import reverse
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from common.timezones import local_today
from devdata.demo import MENTOR_LOGIN, STAFF_LOGIN, STUDENT_LOGIN, demo_window
from groups.models import Membership, Mentorship, StudyGroup
from progress.models import Cohort, Enrollment, LessonProgress, StudyLog
from review.selectors.cohorts import cohort_headline

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (get_user_model(), Cohort, Enrollment, StudyLog, LessonProgress, StudyGroup, Membership, Mentorship)
    }


def test_seed_demo_twice_leaves_the_same_row_counts_and_prints_the_logins():
    out = StringIO()
    call_command("seed_demo", "--students", "25", stdout=out)
    first = counts()
    call_command("seed_demo", "--students", "25", stdout=StringIO())
    assert counts() == first
    assert first["Enrollment"] == 26  # the 25 asked for and the volunteer mentor
    assert first["StudyLog"] > 25 * 3
    assert STAFF_LOGIN[0] in out.getvalue() and STUDENT_LOGIN[1] in out.getvalue()


def test_demo_cohort_contains_today_and_students_have_a_spread_of_progress():
    call_command("seed_demo", "--students", "60", stdout=StringIO())
    cohort = Cohort.objects.get(slug="demo")
    today = local_today(time_zone=cohort.time_zone)
    assert cohort.opens_on <= today and cohort.cutoff_at > timezone.now()
    assert (cohort.cutoff_local.date() - cohort.opens_on) == dt.timedelta(days=61)
    lessons_done = sorted(
        LessonProgress.objects.filter(enrollment=enrollment).count()
        for enrollment in Enrollment.objects.filter(cohort=cohort)
    )
    assert lessons_done[0] <= 2, "some students should have stalled early"
    assert lessons_done[-1] >= 4, "some students should be well ahead"
    assert len(set(lessons_done)) >= 3


def test_demo_logins_work(client):
    call_command("seed_demo", "--students", "3", stdout=StringIO())
    assert client.post(reverse("accounts:login"), {"username": STUDENT_LOGIN[0], "password": STUDENT_LOGIN[1]}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    staff = get_user_model().objects.get(email=STAFF_LOGIN[0])
    assert staff.is_staff and staff.check_password(STAFF_LOGIN[1])


@pytest.mark.parametrize(
    ("today", "opens_on", "cutoff_day"),
    [
        (dt.date(2026, 11, 26), dt.date(2026, 11, 9), dt.date(2027, 1, 9)),
        (dt.date(2027, 1, 9), dt.date(2026, 11, 9), dt.date(2027, 1, 9)),
        (dt.date(2027, 1, 10), dt.date(2026, 12, 24), dt.date(2027, 2, 23)),
        (dt.date(2027, 6, 1), dt.date(2027, 5, 15), dt.date(2027, 7, 15)),
    ],
)
def test_demo_window_ends_on_the_coming_9_january_or_shifts_to_contain_today(today, opens_on, cutoff_day):
    assert demo_window(today=today) == (opens_on, cutoff_day)


def test_demo_students_who_finished_every_lesson_handed_their_project_in():
    from progress.models import ProjectSubmission

    call_command("seed_demo", "--students", "120", stdout=StringIO())
    cohort = Cohort.objects.get(slug="demo")
    headline = cohort_headline(cohort=cohort)
    assert headline.finished > 0
    assert headline.project_submitted == headline.finished
    assert ProjectSubmission.objects.filter(enrollment__cohort=cohort).count() == headline.finished


def test_the_demo_cohort_has_every_verdict_and_stored_numbers_equal_to_a_recompute():
    from progress.models import StudentRollup
    from progress.selectors.numbers import rollup_numbers, standings_for_many

    call_command("seed_demo", "--students", "60", stdout=StringIO())
    cohort = Cohort.objects.get(slug="demo")
    enrollments = list(Enrollment.objects.filter(cohort=cohort).select_related("cohort"))
    fresh = standings_for_many(enrollments=enrollments)
    kept = {rollup.enrollment_id: rollup_numbers(rollup) for rollup in StudentRollup.objects.filter(cohort=cohort)}
    assert kept == {pk: standing.numbers for pk, standing in fresh.items()}
    headline = cohort_headline(cohort=cohort)
    buckets = (headline.at_risk, headline.behind, headline.on_track, headline.finished)
    assert sum(buckets) == headline.enrolled == len(enrollments)
    assert all(buckets), f"the demo should show every verdict: {headline}"


def test_the_demo_has_groups_two_mentors_and_some_students_left_for_form_groups():
    call_command("seed_demo", "--students", "60", stdout=StringIO())
    student = Enrollment.objects.get(user__email=STUDENT_LOGIN[0])
    group = Membership.objects.get(enrollment=student).group
    assert set(Mentorship.objects.filter(group=group).values_list("mentor__email", flat=True)) == {MENTOR_LOGIN[0], STAFF_LOGIN[0]}
    ungrouped = Enrollment.objects.filter(cohort=group.cohort, group_membership__isnull=True).count()
    assert 1 <= ungrouped < 30
