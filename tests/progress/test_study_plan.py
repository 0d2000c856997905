import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import Cohort, ScheduleItem, StudyPlan
from progress.services.plans import PlanAfterCutoff, replan_defaults, schedule_build, schedule_item_move
from tests.factories import CohortFactory, EnrollmentFactory, LessonProgressFactory, StudyLogFactory
from tests.helpers import form_errors

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def reference_enrollment():
    """The 2018-19 window; lessons 1-7 done and 2 h already logged on lesson 8."""
    cohort = CohortFactory(
        opens_on=D(2018, 11, 9),
        cutoff_at=Cohort.cutoff_from_local(day=D(2019, 1, 9), time_zone="America/Los_Angeles"),
    )
    enrollment = EnrollmentFactory(cohort=cohort, time_zone="America/Los_Angeles")
    for number in range(1, 8):
        LessonProgressFactory(enrollment=enrollment, lesson=Lesson.objects.get(number=number))
    StudyLogFactory(enrollment=enrollment, lesson=Lesson.objects.get(number=8), day=D(2018, 12, 10), minutes=120)
    return enrollment


def build(enrollment, **overrides):
    values = dict(
        starts_on=D(2018, 12, 17),  # a Monday
        target_on=D(2019, 1, 2),
        weekday_hours=Decimal("4"),
        weekend_hours=Decimal("6"),
        days_off=[D(2018, 12, 24), D(2018, 12, 25)],
    )
    values.update(overrides)
    return schedule_build(enrollment=enrollment, **values)


def planned_days(enrollment):
    return {
        item.lesson.number: (item.planned_minutes, item.starts_on, item.ends_on)
        for item in ScheduleItem.objects.filter(plan__enrollment=enrollment).select_related("lesson")
    }


def test_plan_matches_the_hand_worked_days(reference_enrollment):
    outcome = build(reference_enrollment)
    assert outcome.saved and outcome.fits_target
    days = planned_days(reference_enrollment)
    # Lesson 8: 12 h less 2 h logged = 600 min: Mon 17 240, Tue 18 240, Wed 19 120.
    # Lesson 9: 600 min: Wed 19 120, Thu 20 240, Fri 21 240.
    # Lesson 10: 2400 min: Sat 22 360, Sun 23 360, (24, 25 off), 26-28 3x240, Sat 29 360, Sun 30 360, Mon 31 240.
    assert days[8] == (600, D(2018, 12, 17), D(2018, 12, 19))
    assert days[9] == (600, D(2018, 12, 19), D(2018, 12, 21))
    assert days[10] == (2400, D(2018, 12, 22), D(2018, 12, 31))
    assert all(days[number] == (0, None, None) for number in range(1, 8))
    assert outcome.ends_on == D(2018, 12, 31)


def test_a_plan_after_the_target_is_saved_with_the_hours_that_would_fit(reference_enrollment):
    outcome = build(reference_enrollment, target_on=D(2018, 12, 28))
    assert outcome.saved and not outcome.fits_target and outcome.fits_cutoff
    # 3600 min over 17..28 Dec less 24-25: capacity 8 weekdays*240 + 2 weekend days*360 = 2640.
    assert (outcome.needed_for_target.weekday_minutes, outcome.needed_for_target.weekend_minutes) == (330, 495)


def test_a_plan_past_the_cutoff_is_not_saved_without_confirmation(reference_enrollment):
    with pytest.raises(PlanAfterCutoff) as excinfo:
        build(reference_enrollment, weekday_hours=Decimal("1"), weekend_hours=Decimal("1"))
    assert excinfo.value.outcome.needed_for_cutoff is not None
    assert not StudyPlan.objects.exists()
    confirmed = build(reference_enrollment, weekday_hours=Decimal("1"), weekend_hours=Decimal("1"), accept_after_cutoff=True)
    assert confirmed.saved and not confirmed.fits_cutoff


def test_replan_from_today_keeps_done_lessons_and_days_off(reference_enrollment):
    build(reference_enrollment)
    LessonProgressFactory(enrollment=reference_enrollment, lesson=Lesson.objects.get(number=8))
    now = dt.datetime(2018, 12, 20, 18, 0, tzinfo=dt.UTC)  # 10:00 on the 20th in California
    again = replan_defaults(enrollment=reference_enrollment, now=now)
    assert again["starts_on"] == D(2018, 12, 20)
    assert again["days_off"] == [D(2018, 12, 24), D(2018, 12, 25)]
    schedule_build(enrollment=reference_enrollment, **again)
    days = planned_days(reference_enrollment)
    assert days[8] == (0, None, None)
    assert days[9] == (600, D(2018, 12, 20), D(2018, 12, 22))  # Thu 240, Fri 240, Sat 120


def test_moving_a_lessons_end_shifts_the_next_ones_that_would_overlap(reference_enrollment):
    build(reference_enrollment)
    item = ScheduleItem.objects.get(plan__enrollment=reference_enrollment, lesson__number=8)
    schedule_item_move(item=item, ends_on=D(2018, 12, 21))
    days = planned_days(reference_enrollment)
    assert days[8][1:] == (D(2018, 12, 17), D(2018, 12, 21))
    assert days[9][1:] == (D(2018, 12, 21), D(2018, 12, 23))  # shifted two days
    assert days[10][1:] == (D(2018, 12, 23), D(2019, 1, 1))  # overlapped, so shifted too


def test_moving_an_end_before_the_start_is_refused(reference_enrollment, client):
    build(reference_enrollment)
    item = ScheduleItem.objects.get(plan__enrollment=reference_enrollment, lesson__number=9)
    client.force_login(reference_enrollment.user)
    client.post(reverse("progress:schedule_item_move", args=[item.pk]), {"ends_on": "2018-12-01"})
    item.refresh_from_db()
    assert item.ends_on == D(2018, 12, 21)


def test_another_students_plan_entry_is_404(reference_enrollment, client):
    build(reference_enrollment)
    item = ScheduleItem.objects.get(plan__enrollment=reference_enrollment, lesson__number=9)
    client.force_login(EnrollmentFactory(cohort=reference_enrollment.cohort).user)
    assert client.post(reverse("progress:schedule_item_move", args=[item.pk]), {"ends_on": "2018-12-30"}).status_code == 404


def test_schedule_page_defaults_finish_a_week_before_the_cutoff(student_client, enrollment):
    html = student_client.get(reverse("progress:schedule")).content.decode()
    cutoff_day = enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)).date()
    assert f'name="target_on" value="{(cutoff_day - dt.timedelta(days=7)).isoformat()}"' in html
    assert 'name="weekday_hours" value="3.5"' in html


def test_schedule_form_builds_the_plan_and_shows_the_table_and_timeline(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    response = student_client.post(
        reverse("progress:schedule"),
        {"starts_on": today.isoformat(), "target_on": (today + dt.timedelta(days=34)).isoformat(),
         "weekday_hours": "4", "weekend_hours": "6", "days_off": ""},
    )
    assert response.status_code == 302
    page = student_client.get(reverse("progress:schedule")).content.decode()
    assert "Lesson by lesson" in page and "<svg" in page and "Re-plan from today" in page
    assert StudyPlan.objects.get(enrollment=enrollment).items.count() == 10


def test_the_schedule_form_shows_the_plan_as_saved_each_time_it_changes(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    assert 'name="weekday_hours" value="3.5"' in student_client.get(reverse("progress:schedule")).content.decode()
    for hours, day_off in [("5.00", today + dt.timedelta(days=3)), ("6.25", today + dt.timedelta(days=5))]:
        response = student_client.post(reverse("progress:schedule"), {
            "starts_on": today.isoformat(), "target_on": (today + dt.timedelta(days=34)).isoformat(),
            "weekday_hours": hours, "weekend_hours": "6", "days_off": day_off.isoformat(),
        })
        assert response.status_code == 302 and str(StudyPlan.objects.get(enrollment=enrollment).weekday_hours) == hours
        form = student_client.get(reverse("progress:schedule")).content.decode().split('id="form-heading"')[1]
        assert f'name="weekday_hours" value="{hours}"' in form and day_off.isoformat() in form


def test_late_plan_shows_the_warning_and_keeps_the_form(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    day_off = (today + dt.timedelta(days=3)).isoformat()
    data = {"starts_on": today.isoformat(), "target_on": (today + dt.timedelta(days=30)).isoformat(),
            "weekday_hours": "0.25", "weekend_hours": "0.5", "days_off": day_off}
    response = student_client.post(reverse("progress:schedule"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This plan does not finish before the cut-off" in html
    assert 'name="weekday_hours" value="0.25"' in html and day_off in html
    assert not StudyPlan.objects.exists()
    student_client.post(reverse("progress:schedule"), {**data, "accept_after_cutoff": "on"})
    assert StudyPlan.objects.filter(enrollment=enrollment).exists()


def test_unreadable_days_off_are_a_form_error(student_client, enrollment):
    response = student_client.post(
        reverse("progress:schedule"),
        {"starts_on": "2000-01-01", "target_on": "2000-01-02", "weekday_hours": "1", "weekend_hours": "1", "days_off": "Christmas"},
    )
    assert any("Can not read Christmas" in error for error in form_errors(response))


def test_calendar_feed_parses_with_lesson_blocks_summary_reminder_and_cutoff_alarm(reference_enrollment, client):
    build(reference_enrollment)
    response = client.get(reverse("progress:schedule_ics"), {"token": reference_enrollment.calendar_token})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert [s for s in summaries if s.startswith("Lesson")] == [
        "Lesson 8: Sentiment Prediction with RNNs", "Lesson 9: Deploying PyTorch Models", "Lesson 10: Challenge Project"
    ]
    lesson_10 = events[2]
    assert (lesson_10.decoded("DTSTART"), lesson_10.decoded("DTEND")) == (D(2018, 12, 22), D(2019, 1, 1))
    weekly = next(event for event in events if str(event["SUMMARY"]) == "Write your weekly summary")
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"]
    cutoff = next(event for event in events if "cut-off" in str(event["SUMMARY"]))
    assert cutoff.decoded("DTSTART") == D(2019, 1, 9)
    assert "23:59 PST" in str(cutoff["SUMMARY"])
    assert cutoff.walk("VALARM")[0].decoded("TRIGGER") == -dt.timedelta(days=1)


def test_calendar_feed_needs_the_current_token(reference_enrollment, client):
    build(reference_enrollment)
    old = reference_enrollment.calendar_token
    assert client.get(reverse("progress:schedule_ics"), {"token": "guess"}).status_code == 404
    assert client.get(reverse("progress:schedule_ics")).status_code == 404
    client.force_login(reference_enrollment.user)
    client.post(reverse("progress:calendar_token_reset"))
    client.logout()
    assert client.get(reverse("progress:schedule_ics"), {"token": old}).status_code == 404
    reference_enrollment.refresh_from_db()
    assert client.get(reverse("progress:schedule_ics"), {"token": reference_enrollment.calendar_token}).status_code == 200


def test_replan_from_today_on_the_page_restarts_the_plan_today_and_keeps_the_days_off(student_client, enrollment):
    today = local_today(time_zone=enrollment.time_zone)
    day_off = today + dt.timedelta(days=3)
    student_client.post(
        reverse("progress:schedule"),
        {"starts_on": (today - dt.timedelta(days=2)).isoformat(), "target_on": (today + dt.timedelta(days=34)).isoformat(),
         "weekday_hours": "4", "weekend_hours": "6", "days_off": day_off.isoformat()},
    )
    response = student_client.post(reverse("progress:schedule"), {"action": "replan"})
    assert response.status_code == 302
    plan = StudyPlan.objects.get(enrollment=enrollment)
    assert plan.starts_on == max(today, enrollment.cohort.opens_on)
    assert plan.days_off == [day_off.isoformat()]
    assert (plan.weekday_hours, plan.weekend_hours) == (Decimal("4"), Decimal("6"))
