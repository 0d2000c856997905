"""On the first day of a course week the group card shows last week's result, not "0 min" and an empty bar, until
a member logs something in the new week."""

import datetime as dt

import pytest
from django.urls import reverse

from common.timezones import local_today
from groups.models import Membership
from tests.factories import StudyGroupFactory, StudyLogFactory, member_of


@pytest.fixture
def week_two_begins_today(cohort):
    """The cohort opened a week ago in the members' zone (Berlin): today is the first day of week 2."""
    cohort.opens_on = local_today(time_zone="Europe/Berlin") - dt.timedelta(days=7)
    cohort.save(update_fields=["opens_on"])
    return local_today(time_zone="Europe/Berlin")


def _card(client, enrollment):
    client.force_login(enrollment.user)
    page = client.get(reverse("progress:dashboard")).content.decode()
    return page.split('data-testid="group-card"')[1].split("</section>")[0]


def test_the_card_shows_last_weeks_hours_until_the_new_week_has_some(client, cohort, week_two_begins_today):
    today = week_two_begins_today
    group = StudyGroupFactory(cohort=cohort, weekly_goal_hours=3)
    me, other = member_of(group), member_of(group)
    Membership.objects.filter(enrollment=me).update(shows_place=True)
    StudyLogFactory(enrollment=me, day=today - dt.timedelta(days=3), minutes=150)
    StudyLogFactory(enrollment=other, day=today - dt.timedelta(days=1), minutes=231)

    card = _card(client, me)
    assert "Last week the group studied" in card
    assert 'data-testid="group-week-hours">6 h 21 min<' in card and "of its 6 h goal" in card
    assert 'max="360" value="381"' in card  # a full bar, not an empty one
    assert "You were 2nd of 2 by hours last week." in card

    StudyLogFactory(enrollment=other, day=today, minutes=20)
    card = _card(client, me)
    assert "This week the group has studied" in card
    assert 'data-testid="group-week-hours">20 min<' in card
    assert "You are 2nd of 2 by hours this week." in card


def test_a_group_that_did_nothing_last_week_shows_this_weeks_zero(client, cohort, week_two_begins_today):
    me = member_of(StudyGroupFactory(cohort=cohort))
    card = _card(client, me)
    assert "This week the group has studied" in card and 'data-testid="group-week-hours">0 min<' in card
