"""The member who made a group (and staff) rename it on its page: one line, unique within the cohort; other members
can not."""

from django.urls import reverse

from groups.models import Membership, StudyGroup
from tests.factories import EnrollmentFactory, StudyGroupFactory, UserFactory, member_of
from tests.helpers import form_errors

FORM = {"name": "Sunday sprinters", "utc_offset": 0, "weekly_goal_hours": 15, "is_open": "on", "capacity": 25}


def _owned_group(client, cohort):
    owner = EnrollmentFactory(cohort=cohort)
    client.force_login(owner.user)
    client.post(reverse("groups:create"), FORM)
    return owner, Membership.objects.get(enrollment=owner).group


def test_the_owner_renames_the_group_on_its_page_and_line_breaks_are_stripped(client, cohort):
    owner, group = _owned_group(client, cohort)
    page = client.get(group.get_absolute_url()).content.decode()
    assert f'action="{reverse("groups:rename", args=[group.pk])}"' in page and 'value="Sunday sprinters"' in page
    page = client.post(reverse("groups:rename", args=[group.pk]), {"name": "Lagos\r\nevening   learners"}, follow=True).content.decode()
    assert "Renamed the group Lagos evening learners." in page
    group.refresh_from_db()
    assert group.name == "Lagos evening learners"


def test_a_name_another_group_of_the_cohort_has_is_refused_on_the_form(client, cohort):
    StudyGroupFactory(cohort=cohort, name="Night owls")
    StudyGroupFactory(name="Early birds")  # another cohort's: free to use here
    owner, group = _owned_group(client, cohort)
    response = client.post(reverse("groups:rename", args=[group.pk]), {"name": "night OWLS"})
    assert response.status_code == 400
    assert "A group of this cohort already has that name." in form_errors(response)
    assert "<h1 class=\"h3\">Sunday sprinters</h1>" in response.content.decode()
    assert client.post(reverse("groups:rename", args=[group.pk]), {"name": " \n "}).status_code == 400
    assert client.post(reverse("groups:rename", args=[group.pk]), {"name": "Early birds"}).status_code == 302
    assert StudyGroup.objects.get(pk=group.pk).name == "Early birds"


def test_other_members_and_mentors_can_not_rename_but_staff_can(client, cohort):
    owner, group = _owned_group(client, cohort)
    other = member_of(group)
    client.force_login(other.user)
    assert reverse("groups:rename", args=[group.pk]) not in client.get(group.get_absolute_url()).content.decode()
    page = client.post(reverse("groups:rename", args=[group.pk]), {"name": "Hijacked"}, follow=True).content.decode()
    assert "Only the member who made the group, or staff, can rename it." in page
    assert StudyGroup.objects.get(pk=group.pk).name == "Sunday sprinters"
    outsider = EnrollmentFactory(cohort=cohort)
    client.force_login(outsider.user)
    assert client.post(reverse("groups:rename", args=[group.pk]), {"name": "Hijacked"}).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    client.post(reverse("groups:rename", args=[group.pk]), {"name": "Staff named"})
    assert StudyGroup.objects.get(pk=group.pk).name == "Staff named"


def test_a_group_made_with_a_line_break_in_its_name_is_saved_on_one_line(client, cohort):
    student = EnrollmentFactory(cohort=cohort)
    client.force_login(student.user)
    client.post(reverse("groups:create"), {**FORM, "name": "Lagos\r\nevenings"})
    assert Membership.objects.get(enrollment=student).group.name == "Lagos evenings"
