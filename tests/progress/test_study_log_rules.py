import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import StudyLog
from tests.factories import EnrollmentFactory, StudyLogFactory
from tests.helpers import form_errors, text_of

pytestmark = pytest.mark.django_db
NEW_LOG = reverse("progress:log_create")


def today_for(enrollment) -> dt.date:
    return local_today(time_zone=enrollment.time_zone)


def lesson(number: int) -> Lesson:
    return Lesson.objects.get(number=number)


def post_log(client, enrollment, **overrides):
    data = {"day": today_for(enrollment).isoformat(), "lesson": lesson(2).pk, "minutes": "1.5", "notes": ""}
    data.update(overrides)
    return client.post(NEW_LOG, data)


def snapshot(enrollment):
    return list(StudyLog.objects.filter(enrollment=enrollment).order_by("pk").values())


def test_logging_one_and_a_half_hours_on_lesson_2_shows_on_dashboard_and_lesson_list(student_client, enrollment):
    response = post_log(student_client, enrollment, minutes="1.5")
    assert response.status_code == 302
    log = StudyLog.objects.get(enrollment=enrollment)
    assert (log.lesson.number, log.minutes, log.day) == (2, 90, today_for(enrollment))
    assert text_of(student_client.get(reverse("progress:dashboard")), "total-hours") == "1 h 30 min"
    assert text_of(student_client.get(reverse("lessons:list")), "lesson-2-hours") == "1 h 30 min"


def test_zero_minutes_is_a_form_error_and_nothing_is_saved(student_client, enrollment):
    response = post_log(student_client, enrollment, minutes="0")
    assert response.status_code == 200
    assert "Time studied must be more than zero." in form_errors(response)
    assert not StudyLog.objects.exists()


def test_unreadable_time_is_a_form_error_that_keeps_what_was_typed(student_client, enrollment):
    response = post_log(student_client, enrollment, minutes="an hour-ish", notes="Kept **notes**")
    assert response.status_code == 200
    assert any("is not a time we can read" in error for error in form_errors(response))
    html = response.content.decode()
    assert 'value="an hour-ish"' in html
    assert "Kept **notes**" in html
    assert not StudyLog.objects.exists()


def test_a_day_in_the_students_future_is_rejected(student_client, enrollment):
    tomorrow = today_for(enrollment) + dt.timedelta(days=1)
    response = post_log(student_client, enrollment, day=tomorrow.isoformat())
    assert any("still in the future where you are" in error for error in form_errors(response))
    assert not StudyLog.objects.exists()


def test_a_day_before_the_cohort_opens_is_rejected(student_client, enrollment):
    before = enrollment.cohort.opens_on - dt.timedelta(days=1)
    response = post_log(student_client, enrollment, day=before.isoformat())
    assert any("Pick a day inside the course" in error for error in form_errors(response))
    assert not StudyLog.objects.exists()


def test_notes_longer_than_ten_thousand_characters_are_rejected(student_client, enrollment):
    response = post_log(student_client, enrollment, notes="x" * 10_001)
    assert response.status_code == 200
    assert form_errors(response)
    assert not StudyLog.objects.exists()


def test_a_day_can_not_hold_more_than_24_hours_and_the_earlier_log_is_untouched(student_client, enrollment):
    day = today_for(enrollment)
    StudyLogFactory(enrollment=enrollment, day=day, lesson=lesson(2), minutes=20 * 60, community_minutes=60)
    before = snapshot(enrollment)
    response = post_log(student_client, enrollment, lesson=lesson(3).pk, minutes="3h30")
    errors = form_errors(response)
    assert any("A day has 24 hours" in error and "at most 3 h more" in error for error in errors), errors
    assert snapshot(enrollment) == before


def test_exactly_24_hours_in_a_day_is_allowed(student_client, enrollment):
    day = today_for(enrollment)
    StudyLogFactory(enrollment=enrollment, day=day, lesson=lesson(2), minutes=20 * 60)
    response = post_log(student_client, enrollment, lesson=lesson(3).pk, minutes="4")
    assert response.status_code == 302
    assert StudyLog.objects.filter(enrollment=enrollment, day=day).count() == 2


def test_second_submit_of_same_day_and_lesson_edits_the_log(student_client, enrollment):
    post_log(student_client, enrollment, minutes="1")
    response = post_log(student_client, enrollment, minutes="2:15", notes="second try")
    assert response.status_code == 302
    log = StudyLog.objects.get(enrollment=enrollment)
    assert (log.minutes, log.notes) == (135, "second try")


def test_the_database_refuses_a_second_log_for_the_same_day_and_lesson(enrollment):
    first = StudyLogFactory(enrollment=enrollment)
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyLog.objects.create(enrollment=enrollment, day=first.day, lesson=first.lesson, minutes=30)


def test_editing_a_log_onto_another_logs_day_and_lesson_is_refused(student_client, enrollment):
    day = today_for(enrollment)
    StudyLogFactory(enrollment=enrollment, day=day, lesson=lesson(2), minutes=60)
    other = StudyLogFactory(enrollment=enrollment, day=day, lesson=lesson(3), minutes=30)
    before = snapshot(enrollment)
    response = student_client.post(
        reverse("progress:log_edit", args=[other.pk]),
        {"day": day.isoformat(), "lesson": lesson(2).pk, "minutes": "45m"},
    )
    assert any("Edit that log instead" in error for error in form_errors(response))
    assert snapshot(enrollment) == before


def test_an_invalid_edit_leaves_the_saved_log_as_it_was(student_client, enrollment):
    log = StudyLogFactory(enrollment=enrollment, day=today_for(enrollment), minutes=60, notes="original")
    response = student_client.post(
        reverse("progress:log_edit", args=[log.pk]),
        {"day": log.day.isoformat(), "lesson": log.lesson.pk, "minutes": "0", "notes": "changed"},
    )
    assert response.status_code == 200
    log.refresh_from_db()
    assert (log.minutes, log.notes) == (60, "original")


def test_edit_form_starts_from_the_saved_values(student_client, enrollment):
    log = StudyLogFactory(enrollment=enrollment, day=today_for(enrollment), minutes=95, community_minutes=20)
    html = student_client.get(reverse("progress:log_edit", args=[log.pk])).content.decode()
    assert 'value="1:35"' in html
    assert 'value="0:20"' in html


def test_delete_asks_first_and_then_removes_the_log(student_client, enrollment):
    log = StudyLogFactory(enrollment=enrollment)
    url = reverse("progress:log_delete", args=[log.pk])
    page = student_client.get(url)
    assert page.status_code == 200 and b"Delete this log?" in page.content
    assert StudyLog.objects.filter(pk=log.pk).exists()
    assert student_client.post(url).status_code == 302
    assert not StudyLog.objects.filter(pk=log.pk).exists()


def test_new_log_day_defaults_to_today_in_the_students_own_zone(client, cohort):
    # UTC+14 and UTC-11 are always on different calendar days.
    east = EnrollmentFactory(cohort=cohort, time_zone="Pacific/Kiritimati")
    west = EnrollmentFactory(cohort=cohort, time_zone="Pacific/Pago_Pago")
    shown = {}
    for enrollment in (east, west):
        client.force_login(enrollment.user)
        html = client.get(NEW_LOG).content.decode()
        shown[enrollment.time_zone] = f'name="day" value="{today_for(enrollment).isoformat()}"' in html
    assert shown == {"Pacific/Kiritimati": True, "Pacific/Pago_Pago": True}
    assert today_for(east) != today_for(west)


def test_yesterday_link_prefills_yesterday(student_client, enrollment):
    yesterday = today_for(enrollment) - dt.timedelta(days=1)
    page = student_client.get(NEW_LOG)
    assert f'href="?day={yesterday.isoformat()}"' in page.content.decode()
    prefilled = student_client.get(NEW_LOG, {"day": yesterday.isoformat()})
    assert f'name="day" value="{yesterday.isoformat()}"' in prefilled.content.decode()


def test_log_list_is_newest_first(student_client, enrollment):
    opens = enrollment.cohort.opens_on
    StudyLogFactory(enrollment=enrollment, day=opens, notes="oldest entry")
    StudyLogFactory(enrollment=enrollment, day=opens + dt.timedelta(days=2), notes="newest entry")
    html = student_client.get(reverse("progress:log_list")).content.decode()
    assert html.index("newest entry") < html.index("oldest entry")


def test_new_log_form_starts_on_the_first_lesson_not_yet_done(student_client, enrollment):
    from tests.factories import LessonProgressFactory

    for number in (1, 2, 3):
        LessonProgressFactory(enrollment=enrollment, lesson=lesson(number))
    html = student_client.get(NEW_LOG).content.decode()
    assert f'<option value="{lesson(4).pk}" selected>' in html


def test_each_student_sees_their_own_lesson_on_the_blank_form(client, cohort):
    """One student after another in the same process: what differs between students must not leak."""
    from tests.factories import LessonProgressFactory

    ahead, behind = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    for number in (1, 2, 3, 4, 5):
        LessonProgressFactory(enrollment=ahead, lesson=lesson(number))
    selected = {}
    for name, enrollment in (("ahead", ahead), ("behind", behind), ("ahead again", ahead)):
        client.force_login(enrollment.user)
        html = client.get(NEW_LOG).content.decode()
        selected[name] = [number for number in range(1, 11) if f'<option value="{lesson(number).pk}" selected>' in html]
    assert selected == {"ahead": [6], "behind": [1], "ahead again": [6]}


def test_an_empty_post_shows_what_to_fill_in_and_saves_nothing(student_client, enrollment):
    response = student_client.post(reverse("progress:log_create"), {})
    assert response.status_code == 200
    assert "This field is required." in form_errors(response)
    assert not StudyLog.objects.filter(enrollment=enrollment).exists()
