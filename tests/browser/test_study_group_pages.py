"""Study groups as their members and staff see them, in Debian's Chromium: hidden numbers stay hidden, the card
shows last week's result on the first day of a week, the owner renames the group, wrong join codes are throttled,
and "form groups" previews no tiny groups, with plain ranges and times in the programme's zone."""

import datetime as dt
import re

import pytest

from common.timezones import local_today
from groups.models import FormingRun, Membership, StudyGroup
from tests.factories import PASSWORD, CohortFactory, EnrollmentFactory, StudyLogFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 375, "height": 812}
TEMPLATE_LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|page\.|\bNone\b(?! yet\.)")  # "None yet." is the mentors' list, empty


def log_in_as(trip, user):
    trip.context.clear_cookies()
    trip.go("/accounts/login/")
    trip.page.fill("#id_username", user.email)
    trip.page.fill("#id_password", PASSWORD)
    trip.page.click("button:has-text('Log in')")
    trip.page.wait_for_load_state("load")


def main_text(page) -> str:
    text = " ".join(page.text_content("main").split())
    assert not TEMPLATE_LEFTOVERS.search(text), text
    return text


@pytest.fixture
def week_two(db):
    """A Pacific-time programme whose week 2 begins today for its students in Berlin."""
    return CohortFactory(time_zone="America/Los_Angeles", opens_on=local_today(time_zone="Europe/Berlin") - dt.timedelta(days=7))


def test_a_member_sees_no_hidden_numbers_in_totals_and_renames_the_group_they_made(journey, week_two, browser):
    today = local_today(time_zone="Europe/Berlin")
    vera = EnrollmentFactory(cohort=week_two, user__full_name="Vera Viewer")
    group = StudyGroup.objects.create(cohort=week_two, name="UTC+1 · 2–32 h a week · 1.2", utc_offset=1, weekly_goal_hours=20, owner=vera.user)
    rita = EnrollmentFactory(cohort=week_two, user__full_name="Rita Rival")
    shy = EnrollmentFactory(cohort=week_two, user__full_name="Shy Student")
    Membership.objects.create(enrollment=vera, group=group, shows_place=True)
    Membership.objects.create(enrollment=rita, group=group)
    Membership.objects.create(enrollment=shy, group=group, hides_numbers=True)
    for enrollment, minutes in [(vera, 60), (rita, 120), (shy, 95)]:
        StudyLogFactory(enrollment=enrollment, day=today, minutes=minutes)

    trip = journey(viewport=PHONE)
    page = trip.page
    log_in_as(trip, vera.user)
    trip.go(f"/groups/{group.pk}/")
    text = main_text(page)
    assert page.text_content("[data-testid=group-week-total]") == "3 h"  # Vera's and Rita's; Shy's 1 h 35 min is not in it
    assert "1 member keeps their numbers to themselves and is not counted." in text
    assert "1 h 35 min" not in page.text_content(f"[data-testid=member-{shy.pk}]")
    trip.step("the group page leaves hidden numbers out of the total")
    trip.no_horizontal_overflow("the group page")

    page.fill("#id_name", "Berlin evening learners")
    page.click("button:has-text('Rename the group')")
    assert "Renamed the group Berlin evening learners." in main_text(page)
    assert page.text_content("h1") == "Berlin evening learners"
    trip.step("the owner renamed the group")

    trip.go("/dashboard/")
    card = " ".join(page.text_content("[data-testid=group-card]").split())
    assert "Your group: Berlin evening learners" in card
    assert "This week the group has studied 3 h of its 40 h goal" in card
    assert "You are 2nd of 2 by hours this week." in card  # Shy is not ranked
    trip.step("the dashboard card")


def test_on_the_first_day_of_a_week_the_card_shows_last_weeks_result(journey, week_two, browser):
    today = local_today(time_zone="Europe/Berlin")
    group = StudyGroup.objects.create(cohort=week_two, name="Berlin · steady pace", utc_offset=1, weekly_goal_hours=3)
    me, other = EnrollmentFactory(cohort=week_two), EnrollmentFactory(cohort=week_two)
    Membership.objects.create(enrollment=me, group=group)
    Membership.objects.create(enrollment=other, group=group)
    StudyLogFactory(enrollment=me, day=today - dt.timedelta(days=3), minutes=150)
    StudyLogFactory(enrollment=other, day=today - dt.timedelta(days=1), minutes=231)

    trip = journey(viewport=PHONE)
    log_in_as(trip, me.user)
    trip.go("/dashboard/")
    card = " ".join(trip.page.text_content("[data-testid=group-card]").split())
    assert "Last week the group studied 6 h 21 min of its 6 h goal" in card
    assert trip.page.locator("[data-testid=group-card] progress").get_attribute("value") == "381"
    trip.step("the card on the first day of week 2")
    trip.no_horizontal_overflow("the dashboard")


def test_wrong_join_codes_are_throttled_with_a_clear_message(journey, week_two, browser):
    closed = StudyGroup.objects.create(cohort=week_two, name="Invite only", utc_offset=1, weekly_goal_hours=10, is_open=False)
    guesser = EnrollmentFactory(cohort=week_two)
    trip = journey(viewport=PHONE)
    page = trip.page
    log_in_as(trip, guesser.user)
    trip.go("/groups/")
    for attempt in range(10):
        page.fill("#id_join_code", f"{attempt:013d}")
        page.click("button:has-text('Join'):below(#id_join_code)")
        assert "No group of your cohort has that code." in main_text(page)
    page.fill("#id_join_code", closed.join_code_display)
    page.click("button:has-text('Join'):below(#id_join_code)")
    assert "Too many wrong join codes in the last hour" in main_text(page)
    trip.step("too many wrong codes")
    trip.no_horizontal_overflow("browse groups")
    assert not Membership.objects.filter(enrollment=guesser).exists()
    # The refusals answer 400 and 429, as they should (and the browser logs them): not failures of the page.
    expected = re.compile(r"(400|429) https?://[^/]+/groups/join/|console: Failed to load resource: .* status of (400|429) ")
    assert all(expected.match(problem) for problem in trip.problems), trip.problems
    trip.problems.clear()


def test_staff_preview_no_tiny_groups_with_plain_ranges_and_labelled_times(journey, week_two, browser, monkeypatch):
    from common import health
    from groups import tasks as group_tasks

    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(group_tasks.forming_run_apply, "delay", lambda run_id: group_tasks.forming_run_apply.apply(args=[run_id]))
    room = StudyGroup.objects.create(cohort=week_two, name="Pacific evenings", utc_offset=-8, weekly_goal_hours=10, capacity=10)
    Membership.objects.create(enrollment=EnrollmentFactory(cohort=week_two, time_zone="America/Los_Angeles"), group=room)
    for _ in range(12):
        EnrollmentFactory(cohort=week_two, time_zone="Europe/Berlin")
    stray = EnrollmentFactory(cohort=week_two, time_zone="Asia/Tokyo")
    for _ in range(2):
        EnrollmentFactory(cohort=week_two, time_zone="America/Los_Angeles")
    run = FormingRun.objects.create(cohort=week_two, plan=[], total_groups=0)
    FormingRun.objects.filter(pk=run.pk).update(created_at=dt.datetime(2026, 12, 16, 2, 0, tzinfo=dt.UTC))

    trip = journey()
    page = trip.page
    log_in_as(trip, UserFactory(is_staff=True))
    trip.go(f"/groups/form/?cohort={week_two.slug}")
    text = main_text(page)
    assert "15 students into 1 new group of 13 and 2 into free seats of 1 open group." in text
    table = " ".join(page.text_content("[data-testid=planned-groups]").split())
    assert "Pacific evenings" in table and "Berlin · " in table
    assert not re.search(r"\d\.0\b", table) and not re.search(r"(-?\d+(?:\.\d)?) to \1\b", table)
    assert page.text_content("[data-testid=recent-runs] a").strip() == "15 Dec 18:00 PST"
    trip.step("form groups preview")
    page.click("button:has-text('Place 15 students')")
    page.wait_for_url(re.compile(r".*/groups/form/\d+/"))
    assert "Started" in page.text_content("[data-testid=run-started]") and re.search(r"\d\d:\d\d P[SD]T", page.text_content("[data-testid=run-started]"))
    trip.step("placing")
    assert Membership.objects.get(enrollment=stray).group.memberships.count() == 13  # Tokyo's one student joined Berlin's band
