"""The main menu on every page: the right links for who is signed in, the current page marked, and a working log-out."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[tuple[str, bool]]:
    """(label, marked current) for each link in the main menu."""
    menu = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    return [(label, "active" in classes) for classes, label in re.findall(r'<a class="nav-link([^"]*)"[^>]*>([^<]+)</a>', menu)]


def test_a_student_sees_the_student_menu_with_the_page_they_are_on_marked(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.user)
    menu = _menu(client.get(reverse("progress:summary_list")).content.decode())
    assert [label for label, _ in menu] == ["Dashboard", "Plan", "Lessons", "Study log", "Summaries", "Community", "Groups", "Events", "Project"]
    assert [label for label, current in menu if current] == ["Summaries"]
    assert [label for label, current in _menu(client.get(reverse("lessons:list")).content.decode()) if current] == ["Lessons"]


def test_staff_get_the_cohort_and_admin_links_and_only_the_cohort_is_current_on_its_page(client):
    client.force_login(UserFactory(is_staff=True))
    menu = _menu(client.get(reverse("cohort:dashboard")).content.decode())
    assert [label for label, _ in menu][-2:] == ["Cohort", "Admin"]
    # The cohort page's URL name is also "dashboard": the student Dashboard link must not light up with it.
    assert [label for label, current in menu if current] == ["Cohort"]


def test_visitors_are_offered_log_in_and_sign_up(client):
    assert _menu(client.get(reverse("accounts:login")).content.decode()) == [("Log in", False), ("Sign up", False)]


def test_the_name_in_the_menu_is_escaped(client):
    enrollment = EnrollmentFactory(user__full_name="<b>Ada</b> Lovelace")
    client.force_login(enrollment.user)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "<b>Ada</b>" not in html


def test_the_menus_log_out_button_signs_out_with_its_csrf_token():
    enrollment = EnrollmentFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrollment.user)
    html = client.get(reverse("progress:dashboard")).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', html)
    assert form and form.group(1) == reverse("accounts:logout")
    assert client.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)}).status_code == 302
    assert client.get(reverse("progress:dashboard"))["Location"].startswith(reverse("accounts:login"))


def test_staff_who_only_run_the_cohort_see_no_student_links(client):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("cohort:dashboard")).content.decode()
    assert [label for label, _ in _menu(html)] == ["Cohort", "Admin"]
    assert reverse("progress:profile") not in html  # the profile is a student page too


def test_staff_who_are_also_enrolled_see_both_menus(client):
    enrollment = EnrollmentFactory(user__is_staff=True)
    client.force_login(enrollment.user)
    labels = [label for label, _ in _menu(client.get(reverse("progress:dashboard")).content.decode())]
    assert labels == ["Dashboard", "Plan", "Lessons", "Study log", "Summaries", "Community", "Groups", "Events", "Project", "Cohort", "Admin"]


def test_each_reader_of_a_page_gets_the_menu_of_their_role(client):
    """The links are rendered for each request: a student after an enrolled staff member on the same page, in the
    same process, gets no staff links, and the staff member gets theirs back."""
    staff_student, student = EnrollmentFactory(user__is_staff=True), EnrollmentFactory()
    for enrollment, staff_links in ((staff_student, True), (student, False), (staff_student, True)):
        client.force_login(enrollment.user)
        labels = [label for label, _ in _menu(client.get(reverse("progress:dashboard")).content.decode())]
        assert ("Cohort" in labels and "Admin" in labels) is staff_links
        assert labels[:2] == ["Dashboard", "Plan"]
