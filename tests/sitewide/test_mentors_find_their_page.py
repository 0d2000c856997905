"""Whoever mentors a group, a student or staff, finds the mentor's page (who needs a hand) in the menu, and a
student mentor on their dashboard too; nobody else is offered it."""

import re

import pytest
from django.urls import reverse

from groups.models import Mentorship
from tests.factories import EnrollmentFactory, StudyGroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def menu_links(html: str) -> list[str]:
    """The addresses of the menu's links, in order."""
    menu = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a class="nav-link[^"]*" href="([^"]+)"', menu)


@pytest.fixture
def group(cohort):
    group = StudyGroupFactory(cohort=cohort)
    member_of(group)
    return group


def test_a_student_who_mentors_a_group_finds_it_in_the_menu_and_on_the_dashboard(client, cohort, group):
    mentor = EnrollmentFactory(cohort=cohort)
    Mentorship.objects.create(group=group, mentor=mentor.user)
    client.force_login(mentor.user)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert reverse("mentor") in menu_links(html)
    assert f'<p data-testid="mentor-link">You mentor a study group: <a href="{reverse("mentor")}">' in html
    assert reverse("mentor") in menu_links(client.get(reverse("lessons:list")).content.decode())


def test_staff_who_mentor_find_it_in_the_menu(client, cohort, group):
    staff = UserFactory(is_staff=True)
    Mentorship.objects.create(group=group, mentor=staff)
    client.force_login(staff)
    links = menu_links(client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug}).content.decode())
    assert links.index(reverse("mentor")) < links.index(reverse("cohort:dashboard"))


def test_those_who_mentor_no_group_are_not_offered_it(client, cohort, group):
    student = group.memberships.get().enrollment
    client.force_login(student.user)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert reverse("mentor") not in menu_links(html)
    assert 'data-testid="mentor-link"' not in html
    client.force_login(UserFactory(is_staff=True))
    assert reverse("mentor") not in menu_links(client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug}).content.decode())
