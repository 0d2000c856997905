"""Form groups: students too few for a group of their own take free seats in open groups near them, or join the
nearest band, instead of groups of one, two and three; ranges read as people write them; the recent runs' times are
in the programme's zone, labelled."""

import datetime as dt
import re

from django.urls import reverse

from groups.forming import Candidate, OpenGroup, groups_plan, offset_words, plan_summary, range_words
from groups.models import FormingRun, Membership, StudyGroup
from groups.services.forming import forming_run_apply, forming_run_create
from tests.factories import EnrollmentFactory, StudyGroupFactory, UserFactory, member_of

WINTER = dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC)


def _students(count, offset, start, hours=10.0):
    return [Candidate(enrollment_id=start + i, utc_offset=offset, weekly_hours=hours) for i in range(count)]


def test_stray_time_zones_join_the_nearest_band_instead_of_groups_of_one_to_three():
    candidates = _students(40, 1, 1) + _students(2, -8, 100) + _students(1, 9.5, 200) + _students(3, 14, 300)
    planned = groups_plan(candidates, capacity=25)
    assert sorted(pk for group in planned for pk in group.enrollment_ids) == sorted(c.enrollment_id for c in candidates)
    assert min(group.size for group in planned) >= 10
    assert len(planned) == 2


def test_strays_take_free_seats_in_an_open_group_near_them_but_never_past_its_capacity():
    candidates = _students(40, 1, 1) + _students(5, -8, 100)
    near = OpenGroup(group_id=7, name="Los Angeles · steady pace", utc_offset=-7, weekly_goal_hours=10, free_seats=3)
    far = OpenGroup(group_id=8, name="Tokyo · steady pace", utc_offset=9, weekly_goal_hours=10, free_seats=20)
    planned = groups_plan(candidates, capacity=25, open_groups=[near, far])
    joining = [group for group in planned if not group.is_new]
    assert [(group.group_id, group.size, group.name) for group in joining] == [(7, 3, "Los Angeles · steady pace")]
    assert all(group.size >= 10 for group in planned if group.is_new)  # the other two -8s went to the nearest band
    summary = plan_summary(planned)
    assert (summary.students, summary.joining_students, summary.joined_groups, summary.groups) == (45, 3, 1, 2)


def test_a_small_scattered_cohort_with_no_open_group_forms_one_group_not_four():
    candidates = _students(3, -8, 1) + _students(2, 1, 10) + _students(2, 9, 20) + _students(1, 13, 30)
    planned = groups_plan(candidates, capacity=25)
    assert [group.size for group in planned] == [8]


def test_ranges_read_as_one_value_when_both_ends_match_and_without_point_zero():
    assert range_words(-8.0, -8.0, offset_words) == "UTC-8"
    assert range_words(27.5, 27.5) == "27.5"
    assert range_words(2.0, 32.0) == "2 to 32"
    assert range_words(5.5, 9.0, offset_words) == "UTC+5.5 to UTC+9"
    assert offset_words(0.0) == offset_words(-0.0) == "UTC±0"


def test_the_preview_page_shows_strays_joining_a_group_with_room_and_plain_ranges(client, cohort):
    room = StudyGroupFactory(cohort=cohort, name="Pacific evenings", utc_offset=-8, capacity=10)
    member_of(room, time_zone="America/Los_Angeles")
    for _ in range(12):
        EnrollmentFactory(cohort=cohort, time_zone="Europe/Berlin", weekday_goal_hours=3, weekend_goal_hours=5)
    for _ in range(2):
        EnrollmentFactory(cohort=cohort, time_zone="America/Los_Angeles")
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("groups:form"), {"cohort": cohort.slug}).content.decode()
    preview = page.split('data-testid="forming-preview">')[1].split("</p>")[0]
    assert "<strong>14</strong> students into <strong>1</strong> new group of 12" in preview
    assert "and <strong>2</strong> into free seats of <strong>1</strong> open group." in preview
    table = page.split('data-testid="planned-groups"')[1].split("</table>")[0]
    assert "Pacific evenings" in table and "Berlin · brisk pace" in table
    assert not re.search(r"\d\.0\b", table) and not re.search(r"(\S+) to \1\b", table)
    assert "Place 14 students" in page


def test_applying_fills_the_open_group_up_to_its_capacity_and_no_further(cohort):
    room = StudyGroupFactory(cohort=cohort, name="Pacific evenings", utc_offset=-8, capacity=4)
    member_of(room, time_zone="America/Los_Angeles")
    strays = [EnrollmentFactory(cohort=cohort, time_zone="America/Los_Angeles") for _ in range(3)]
    run = forming_run_create(cohort=cohort, started_by=None, enqueue=lambda run_id: None, now=WINTER)
    assert run.plan[0]["group"] == room.pk and len(run.plan) == 1
    member_of(room)  # a student joins by themself meanwhile: one seat fewer
    run = forming_run_apply(run_id=run.pk)
    assert room.memberships.count() == 4
    assert (run.placed_students, run.skipped_students) == (2, 1)
    forming_run_apply(run_id=run.pk)  # again, as a retried job would: no one twice, no one past capacity
    assert room.memberships.count() == 4 and Membership.objects.filter(enrollment__in=strays).count() == 2


def test_recent_runs_are_shown_in_the_programmes_zone_labelled(client, cohort):
    run = FormingRun.objects.create(cohort=cohort, plan=[], total_groups=0)
    FormingRun.objects.filter(pk=run.pk).update(created_at=dt.datetime(2026, 12, 16, 2, 0, tzinfo=dt.UTC))
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("groups:form"), {"cohort": cohort.slug}).content.decode()  # the cohort is on Pacific time
    assert ">15 Dec 18:00 PST</a>" in page.split('data-testid="recent-runs"')[1]
    assert "Started 15 Dec 18:00 PST" in client.get(reverse("groups:forming_status", args=[run.pk])).content.decode()


def test_new_groups_are_named_for_where_their_students_live_and_banded_at_their_offset(cohort):
    angelenos = [EnrollmentFactory(cohort=cohort, time_zone="America/Los_Angeles") for _ in range(12)]
    for zone in ["America/Chicago"] * 4 + ["America/New_York"] * 5:
        EnrollmentFactory(cohort=cohort, time_zone=zone)
    StudyGroupFactory(cohort=cohort, name="Los Angeles · intensive pace", is_open=False)  # the name is taken: numbered
    run = forming_run_create(cohort=cohort, started_by=None, enqueue=lambda run_id: None, now=WINTER)
    forming_run_apply(run_id=run.pk)
    group = Membership.objects.get(enrollment=angelenos[0]).group
    assert group.name == "Los Angeles · intensive pace · 2"  # not "UTC-6 · 28–28 h a week · 1.1"
    assert group.utc_offset == -8 and group.band_label == "UTC-8"
    assert StudyGroup.objects.filter(forming_run=run).count() == 1
