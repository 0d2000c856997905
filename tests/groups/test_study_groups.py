"""Students in study groups: browse and join, leave, privacy, the group page, the note, the dashboard card."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from common.timezones import local_today
from groups.models import Membership, Mentorship
from lessons.models import Lesson
from progress.models import WeeklySummary
from progress.selectors.reflection import summary_current_week
from progress.services.reflection import weekly_summary_save
from tests.factories import EnrollmentFactory, StudyGroupFactory, StudyLogFactory, UserFactory, member_of
from tests.helpers import form_errors


@pytest.fixture
def group(cohort):
    return StudyGroupFactory(cohort=cohort, name="Lagos evenings")


def test_a_student_joins_an_open_group_with_a_click_and_sees_its_members(client, cohort, group):
    ada = member_of(group, user__full_name="Ada Obi")
    bruno = EnrollmentFactory(cohort=cohort, user__full_name="Bruno Silva")
    client.force_login(bruno.user)
    assert "Lagos evenings" in client.get(reverse("groups:browse")).content.decode()
    page = client.post(reverse("groups:join", args=[group.pk]), follow=True).content.decode()
    assert "You joined Lagos evenings." in page
    assert "Ada Obi" in page and "Bruno Silva" in page
    assert Membership.objects.filter(group=group).count() == 2 and ada


def test_a_student_is_in_at_most_one_group_and_can_leave_it(client, cohort, group):
    other = StudyGroupFactory(cohort=cohort, name="Berlin mornings")
    student = member_of(group)
    client.force_login(student.user)
    page = client.post(reverse("groups:join", args=[other.pk]), follow=True).content.decode()
    assert "already in a group" in page
    assert Membership.objects.get(enrollment=student).group == group
    client.post(reverse("groups:leave"))
    assert not Membership.objects.filter(enrollment=student).exists()
    client.post(reverse("groups:join", args=[other.pk]))
    assert Membership.objects.get(enrollment=student).group == other


def test_a_closed_group_takes_its_code_and_refuses_a_wrong_one(client, cohort):
    closed = StudyGroupFactory(cohort=cohort, is_open=False, name="Invite only")
    student = EnrollmentFactory(cohort=cohort)
    client.force_login(student.user)
    assert "Invite only" not in client.get(reverse("groups:browse")).content.decode()
    response = client.post(reverse("groups:join_code"), {"join_code": "WRONG123"})
    assert response.status_code == 400
    assert any("No group of your cohort has that code" in error for error in form_errors(response))
    client.post(reverse("groups:join_code"), {"join_code": closed.join_code.lower()})
    assert Membership.objects.get(enrollment=student).group == closed


def test_a_full_group_refuses_one_more(client, cohort):
    small = StudyGroupFactory(cohort=cohort, capacity=2)
    member_of(small)
    member_of(small)
    late = EnrollmentFactory(cohort=cohort)
    client.force_login(late.user)
    page = client.post(reverse("groups:join", args=[small.pk]), follow=True).content.decode()
    assert "is full (2 members)" in page
    assert small.memberships.count() == 2


def test_browse_filters_by_band_and_pace_and_refuses_nonsense(client, cohort):
    StudyGroupFactory(cohort=cohort, name="Tokyo", utc_offset=9, weekly_goal_hours=30)
    StudyGroupFactory(cohort=cohort, name="Lima", utc_offset=-5, weekly_goal_hours=10)
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    page = client.get(reverse("groups:browse"), {"band": 8}).content.decode()
    assert "Tokyo" in page and "Lima" not in page
    page = client.get(reverse("groups:browse"), {"pace": 10}).content.decode()
    assert "Lima" in page and "Tokyo" not in page
    assert client.get(reverse("groups:browse"), {"band": "99"}).status_code == 400
    assert client.get(reverse("groups:browse"), {"q": "a\x00b"}).status_code == 400


def test_only_members_mentors_and_staff_open_a_group_page(client, cohort, group):
    member = member_of(group)
    outsider = EnrollmentFactory(cohort=cohort)
    mentor, other_mentor = UserFactory(), UserFactory()
    Mentorship.objects.create(group=group, mentor=mentor)
    Mentorship.objects.create(group=StudyGroupFactory(cohort=cohort), mentor=other_mentor)
    url = reverse("groups:detail", args=[group.pk])
    for user, status in [(member.user, 200), (mentor, 200), (UserFactory(is_staff=True), 200), (outsider.user, 404), (other_mentor, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.logout()
    assert client.get(url).status_code == 302


def test_hidden_numbers_show_as_hidden_to_members_but_not_to_staff(client, cohort, group):
    viewer = member_of(group)
    shy = member_of(group, user__full_name="Shy Student")
    StudyLogFactory(enrollment=shy, day=local_today(time_zone=shy.time_zone), minutes=95)
    client.force_login(shy.user)
    client.post(reverse("groups:privacy"), {"hides_numbers": "on"})
    assert Membership.objects.get(enrollment=shy).hides_numbers
    client.force_login(viewer.user)
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    row = page.split(f'data-testid="member-{shy.pk}"')[1].split("</tr>")[0]
    assert "hidden" in row and "1 h 35 min" not in row
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    row = page.split(f'data-testid="member-{shy.pk}"')[1].split("</tr>")[0]
    assert "1 h 35 min" in row


def test_the_group_page_shows_this_weeks_total_against_the_goal_and_only_shared_summaries(client, cohort, group):
    a, b = member_of(group), member_of(group)
    today = local_today(time_zone=a.time_zone)
    StudyLogFactory(enrollment=a, day=today, minutes=60)
    StudyLogFactory(enrollment=b, day=today, minutes=30)
    WeeklySummary.objects.create(enrollment=a, week_number=1, body="Shared **insight**", is_shared=True)
    WeeklySummary.objects.create(enrollment=b, week_number=1, body="My private diary", is_shared=False)
    client.force_login(a.user)
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert 'data-testid="group-week-total">1 h 30 min<' in page
    assert "of the group's 40 h goal" in page  # 20 h a week for each of two members
    assert "<strong>insight</strong>" in page
    assert "My private diary" not in page


@pytest.mark.parametrize("members", [3, 25])
def test_the_group_page_runs_the_same_queries_for_3_or_25_members(client, cohort, members, django_assert_num_queries):
    group = StudyGroupFactory(cohort=cohort, capacity=30)
    viewer = member_of(group)
    for _ in range(members - 1):
        StudyLogFactory(enrollment=member_of(group))
    client.force_login(viewer.user)
    # Rendered from the database on every view: the session and user, the group, its members and mentors, the
    # members' stored numbers and their minutes by day (two queries), the shared summaries and the viewer's
    # enrolment; the menu's two (is the viewer a mentor, a running timer).
    for _ in range(2):
        with django_assert_num_queries(11):
            assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 200


def test_one_members_write_shows_in_that_members_row_on_the_next_view(client, cohort):
    group = StudyGroupFactory(cohort=cohort)
    viewer, writer = member_of(group), member_of(group)
    for _ in range(3):
        member_of(group)
    client.force_login(viewer.user)
    url = reverse("groups:detail", args=[group.pk])

    def writers_row():
        return client.get(url).content.decode().split(f'data-testid="member-{writer.pk}"')[1].split("</tr>")[0]

    assert "40 min" not in writers_row()
    client.force_login(writer.user)
    client.post(reverse("progress:log_create"), {"day": local_today(time_zone=writer.time_zone).isoformat(), "lesson": Lesson.objects.get(number=2).pk, "minutes": "40m"})
    client.force_login(viewer.user)
    assert "40 min" in writers_row()


def test_the_group_page_follows_every_change_it_shows(client, cohort, group):
    viewer, other = member_of(group, user__full_name="Vera Viewer"), member_of(group, user__full_name="Otto Other")
    url = reverse("groups:detail", args=[group.pk])

    def other_row():
        page = client.get(url).content.decode()
        return page.split(f'data-testid="member-{other.pk}"')[1].split("</tr>")[0] if f'data-testid="member-{other.pk}"' in page else None

    client.force_login(viewer.user)
    assert "hidden" not in other_row()
    Membership.objects.filter(enrollment=other).update(hides_numbers=True)
    assert "hidden" in other_row()
    other.user.full_name = "Otto Renamed"
    other.user.save(update_fields=["full_name"])
    assert "Otto Renamed" in other_row()
    weekly_summary_save(enrollment=other, week_number=summary_current_week(enrollment=other), body="Shared **insight**", is_shared=True)
    assert "<strong>insight</strong>" in client.get(url).content.decode()
    group.weekly_goal_hours = 10
    group.save(update_fields=["weekly_goal_hours"])
    assert "of the group's 10 h goal" in client.get(url).content.decode()  # the viewer's: Otto hides his numbers
    Membership.objects.filter(enrollment=other).delete()
    assert other_row() is None and "<strong>insight</strong>" not in client.get(url).content.decode()


def test_staff_take_a_member_out_through_the_pages_one_form_with_its_csrf_token(cohort, group):
    from django.test import Client

    member = member_of(group)
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    token = re.search(r'<form id="member-actions" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', page)
    button = re.search(rf'<button type="submit" form="member-actions" formaction="([^"]+)" name="enrollment" value="{member.pk}"', page)
    assert token and button and button.group(1) == reverse("groups:member_remove", args=[group.pk])
    assert client.post(button.group(1), {"enrollment": member.pk}).status_code == 403  # without the token
    assert client.post(button.group(1), {"enrollment": member.pk, "csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert not Membership.objects.filter(enrollment=member).exists()


def test_a_members_new_log_shows_on_the_group_page_at_once(client, cohort, group):
    viewer, other = member_of(group), member_of(group)
    client.force_login(viewer.user)
    url = reverse("groups:detail", args=[group.pk])
    assert 'data-testid="group-week-total">0 min<' in client.get(url).content.decode()
    client.force_login(other.user)
    client.post(reverse("progress:log_create"), {"day": local_today(time_zone=other.time_zone).isoformat(), "lesson": Lesson.objects.get(number=2).pk, "minutes": "50m"})
    client.force_login(viewer.user)
    assert 'data-testid="group-week-total">50 min<' in client.get(url).content.decode()


def test_the_owner_and_mentors_edit_the_note_and_other_members_can_not(client, cohort):
    owner = EnrollmentFactory(cohort=cohort)
    client.force_login(owner.user)
    client.post(reverse("groups:create"), {"name": "Sunday sprinters", "utc_offset": 0, "weekly_goal_hours": 15, "is_open": "on", "capacity": 25})
    group = Membership.objects.get(enrollment=owner).group
    client.post(reverse("groups:note", args=[group.pk]), {"note": "Call **Thursday** <script>alert(1)</script>"})
    group.refresh_from_db()
    assert "<strong>Thursday</strong>" in group.note_html and "<script>" not in group.note_html
    other = member_of(group)
    client.force_login(other.user)
    page = client.post(reverse("groups:note", args=[group.pk]), {"note": "hijacked"}, follow=True).content.decode()
    assert "Only the group&#x27;s mentors" in page
    group.refresh_from_db()
    assert "hijacked" not in group.note


def test_students_create_groups_only_where_the_cohort_allows_it(client, cohort):
    cohort.students_create_groups = False
    cohort.save()
    student = EnrollmentFactory(cohort=cohort)
    client.force_login(student.user)
    response = client.post(reverse("groups:create"), {"name": "Mine", "utc_offset": 0, "weekly_goal_hours": 15, "capacity": 25})
    assert "This cohort&#x27;s groups are made by staff" in response.content.decode()
    assert not Membership.objects.filter(enrollment=student).exists()


def test_the_dashboard_card_shows_group_hours_and_the_place_only_to_who_opted_in(client, cohort, group):
    me, rival = member_of(group), member_of(group)
    today = local_today(time_zone=me.time_zone)
    StudyLogFactory(enrollment=me, day=today, minutes=60)
    StudyLogFactory(enrollment=rival, day=today - dt.timedelta(days=0), minutes=120)
    client.force_login(me.user)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="group-week-hours">3 h<' in page
    assert "group-place" not in page
    client.post(reverse("groups:privacy"), {"shows_place": "on"})
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "You are 2nd of 2 by hours this week." in page


def test_a_student_with_no_group_is_pointed_to_the_groups(client, enrollment):
    client.force_login(enrollment.user)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert "Find a group" in page


def test_browse_pages_through_many_groups_keeping_the_search(client, cohort):
    for index in range(35):
        StudyGroupFactory(cohort=cohort, name=f"Owls {index:02d}", utc_offset=2)
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    page = client.get(reverse("groups:browse"), {"q": "Owls", "band": 2}).content.decode()
    assert "Page 1 of 2" in page and 'href="?q=Owls&amp;band=2&amp;page=2"' in page
    page = client.get(reverse("groups:browse"), {"q": "Owls", "band": 2, "page": 2}).content.decode()
    assert "Owls 34" in page and "Owls 00" not in page
