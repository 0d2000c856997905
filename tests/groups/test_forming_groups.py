"""Staff form groups from the students with none: by band and pace, previewed, applied by a job, idempotently."""

import random

import pytest
from django.urls import reverse

from common import health
from groups import tasks as group_tasks
from groups.forming import Candidate, groups_plan
from groups.models import FormingRun, Membership, StudyGroup
from groups.services.forming import forming_run_apply, forming_run_create
from tests.factories import EnrollmentFactory, StudyGroupFactory, UserFactory, member_of


def test_the_plan_keeps_each_group_within_six_hours_and_about_twenty_and_never_over_capacity():
    rng = random.Random(7)
    candidates = [Candidate(enrollment_id=i, utc_offset=rng.choice([-8, -5, -3, 0, 1, 2, 3, 5.5, 8, 9, 10]), weekly_hours=rng.uniform(5, 40))
                  for i in range(1, 1001)]
    planned = groups_plan(candidates, capacity=25)
    placed = [pk for group in planned for pk in group.enrollment_ids]
    assert sorted(placed) == list(range(1, 1001))  # everyone, once
    assert all(group.offset_high - group.offset_low <= 6 for group in planned)
    assert all(group.size <= 25 for group in planned)
    assert 40 <= len(planned) <= 60  # about 20 a group


def test_within_a_band_groups_are_slices_of_the_pace_order():
    candidates = [Candidate(enrollment_id=i, utc_offset=1, weekly_hours=float(i)) for i in range(1, 41)]
    slow, fast = groups_plan(candidates, capacity=25)
    assert max(slow.enrollment_ids) < min(fast.enrollment_ids)
    assert (slow.pace_low, slow.pace_high, fast.pace_low, fast.pace_high) == (1, 20, 21, 40)


def test_applying_twice_places_everyone_once_and_never_moves_a_student_with_a_group(cohort):
    keeper = StudyGroupFactory(cohort=cohort, name="Their own")
    settled = member_of(keeper)
    students = [EnrollmentFactory(cohort=cohort, time_zone="Europe/Berlin") for _ in range(45)]
    run = forming_run_create(cohort=cohort, started_by=None, enqueue=lambda run_id: None)
    late_joiner = students[0]
    Membership.objects.create(enrollment=late_joiner, group=keeper)  # found a group after the preview
    forming_run_apply(run_id=run.pk)
    FormingRun.objects.filter(pk=run.pk).update(state=FormingRun.State.APPLYING)  # as if the worker died and the job ran again
    run = forming_run_apply(run_id=run.pk)
    assert run.state == FormingRun.State.DONE
    assert Membership.objects.get(enrollment=settled).group == keeper
    assert Membership.objects.get(enrollment=late_joiner).group == keeper
    assert run.placed_students == 44 and run.skipped_students == 1
    assert Membership.objects.filter(enrollment__in=students[1:], group__forming_run=run).count() == 44
    assert StudyGroup.objects.filter(forming_run=run).count() == run.total_groups == 2


def test_staff_preview_then_form_groups_and_watch_the_progress(client, cohort, monkeypatch, django_capture_on_commit_callbacks):
    for _ in range(30):
        EnrollmentFactory(cohort=cohort)
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("groups:form"), {"cohort": cohort.slug}).content.decode()
    assert "<strong>30</strong> students into <strong>2</strong> new groups of 15." in page
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(group_tasks.forming_run_apply, "delay", lambda run_id: group_tasks.forming_run_apply.apply(args=[run_id]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{reverse('groups:form')}?cohort={cohort.slug}")
    run = FormingRun.objects.get()
    assert response.url == reverse("groups:forming_status", args=[run.pk])
    status = client.get(response.url, {"format": "json"}).json()
    assert status == {"state": "done", "processed": 2, "total": 2, "percent": 100, "placed_students": 30, "skipped_students": 0}
    assert Membership.objects.filter(group__cohort=cohort).count() == 30
    assert "Every student of" in client.get(reverse("groups:form"), {"cohort": cohort.slug}).content.decode()


def test_with_the_job_queue_down_forming_says_so_and_changes_nothing(client, cohort, monkeypatch):
    EnrollmentFactory(cohort=cohort)
    client.force_login(UserFactory(is_staff=True))
    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: False)
    response = client.post(f"{reverse('groups:form')}?cohort={cohort.slug}")
    assert response.status_code == 503
    assert not FormingRun.objects.exists()


@pytest.mark.parametrize("url", ["groups:form", "cohort:groups"])
def test_students_can_not_reach_the_staff_group_pages(client, enrollment, url):
    client.force_login(enrollment.user)
    assert client.get(reverse(url)).status_code == 403


def test_staff_move_students_and_set_mentors_on_the_group_page(client, cohort):
    group = StudyGroupFactory(cohort=cohort, name="Target")
    elsewhere = member_of(StudyGroupFactory(cohort=cohort), user__email="mover@example.org")
    volunteer = EnrollmentFactory(cohort=cohort, user__email="helper@example.org")
    client.force_login(UserFactory(is_staff=True))
    page = client.post(reverse("groups:member_add", args=[group.pk]), {"email": "MOVER@example.org"}, follow=True).content.decode()
    assert "Moved the student into this group." in page and Membership.objects.get(enrollment=elsewhere).group == group
    page = client.post(reverse("groups:member_add", args=[group.pk]), {"email": "nobody@example.org"}, follow=True).content.decode()
    assert "No student of this cohort has that email." in page
    client.post(reverse("groups:mentor_add", args=[group.pk]), {"email": "helper@example.org"})
    assert group.mentorships.get().mentor == volunteer.user
    page = client.post(reverse("groups:mentor_remove", args=[group.pk]), {"mentor": volunteer.user.pk}, follow=True).content.decode()
    assert "Removed the mentor." in page and not group.mentorships.exists()
    page = client.post(reverse("groups:mentor_remove", args=[group.pk]), {"mentor": volunteer.user.pk}, follow=True).content.decode()
    assert "That person is not a mentor of this group." in page
    client.post(reverse("groups:member_remove", args=[group.pk]), {"enrollment": elsewhere.pk})
    assert not Membership.objects.filter(enrollment=elsewhere).exists()
    page = client.post(reverse("groups:member_remove", args=[group.pk]), {"enrollment": elsewhere.pk}, follow=True).content.decode()
    assert "That student is not in this group." in page
