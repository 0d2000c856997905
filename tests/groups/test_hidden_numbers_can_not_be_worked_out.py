"""A member who hides their numbers is in no total and no place shown to other members, so no subtraction gives
their hours away; the page says how many are not counted. Staff and the member themself still see their own row."""

import pytest
from django.urls import reverse

from common.timezones import local_today
from groups.models import Membership
from groups.selectors import groups_week_for_enrollments
from progress.course_days import course_week
from tests.factories import StudyGroupFactory, StudyLogFactory, UserFactory, member_of


@pytest.fixture
def group(cohort):
    return StudyGroupFactory(cohort=cohort, name="Lagos evenings", weekly_goal_hours=20)


@pytest.fixture
def members(group):
    """Vera 1 h, Rita 2 h and Shy 1 h 35 min today; Shy hides her numbers."""
    vera = member_of(group, user__full_name="Vera Viewer")
    rita = member_of(group, user__full_name="Rita Rival")
    shy = member_of(group, user__full_name="Shy Student")
    today = local_today(time_zone=vera.time_zone)
    for enrollment, minutes in [(vera, 60), (rita, 120), (shy, 95)]:
        StudyLogFactory(enrollment=enrollment, day=today, minutes=minutes)
    Membership.objects.filter(enrollment=shy).update(hides_numbers=True)
    Membership.objects.filter(enrollment__in=[vera, shy]).update(shows_place=True)
    return vera, rita, shy


def _page(client, user, group):
    client.force_login(user)
    return client.get(reverse("groups:detail", args=[group.pk])).content.decode()


def test_the_group_pages_total_leaves_out_a_member_who_hides_their_numbers_and_says_so(client, group, members):
    vera, rita, shy = members
    page = _page(client, vera.user, group)
    assert 'data-testid="group-week-total">3 h<' in page  # Vera's and Rita's: 4 h 35 min less Shy's 1 h 35 min would tell
    assert "of the group's 40 h goal" in page  # the goal of the two who are counted
    assert "1 member keeps their numbers to themselves and is not counted." in page
    row = page.split(f'data-testid="member-{shy.pk}"')[1].split("</tr>")[0]
    assert "hidden" in row and "1 h 35 min" not in row


def test_staff_and_the_member_themself_still_see_the_hidden_row_but_the_same_total(client, group, members):
    vera, rita, shy = members
    for user in (shy.user, UserFactory(is_staff=True)):
        page = _page(client, user, group)
        row = page.split(f'data-testid="member-{shy.pk}"')[1].split("</tr>")[0]
        assert "1 h 35 min" in row
        assert 'data-testid="group-week-total">3 h<' in page


def test_when_every_member_hides_the_page_shows_no_total(client, group, members):
    Membership.objects.filter(group=group).update(hides_numbers=True)
    page = _page(client, UserFactory(is_staff=True), group)
    assert "group-week-total" not in page
    assert "Every member keeps their numbers to themselves, so the group shows no total." in page


def test_the_dashboard_place_and_total_leave_out_hidden_members(client, members):
    vera, rita, shy = members
    client.force_login(vera.user)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="group-week-hours">3 h<' in page
    assert "You are 2nd of 2 by hours this week." in page  # not "3rd of 3", which would rank Shy above Vera
    assert "1 member keeps their numbers to themselves and is not counted." in page


def test_a_hidden_member_sees_their_own_place_among_those_counted_and_is_told_they_are_not_counted(client, members):
    vera, rita, shy = members
    client.force_login(shy.user)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "You are 2nd of 3 by hours this week." in page
    assert "You keep your numbers to yourself: you are not counted in the group's total." in page
    assert 'data-testid="group-week-hours">3 h<' in page


def test_the_digest_numbers_keep_their_shape_and_leave_out_hidden_members(members):
    vera, rita, shy = members
    week = course_week(cohort=vera.cohort, day=local_today(time_zone=vera.time_zone))
    numbers = groups_week_for_enrollments(enrollments=[vera, rita, shy], week_starts_on=week.starts_on, week_ends_on=week.ends_on)
    assert {"group", "group_minutes", "members", "goal_minutes", "place"} <= set(numbers[vera.pk])
    assert numbers[vera.pk]["group_minutes"] == numbers[shy.pk]["group_minutes"] == 180
    assert numbers[vera.pk]["members"] == 3 and numbers[vera.pk]["goal_minutes"] == 2 * 20 * 60
    assert (numbers[vera.pk]["place"], numbers[rita.pk]["place"], numbers[shy.pk]["place"]) == (2, None, 2)
