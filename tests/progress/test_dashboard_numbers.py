"""The dashboard's numbers on small hand-built histories, with the clock given explicitly."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from lessons.models import Lesson
from progress.models import Cohort
from progress.selectors.numbers import dashboard_for_enrollment
from tests.factories import CohortFactory, EnrollmentFactory, LessonProgressFactory, StudyLogFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def reference_window():
    """The 2018-19 window: opens Fri 9 Nov, cut-off 9 Jan 23:59 Pacific (10 Jan 07:59 UTC)."""
    return CohortFactory(
        opens_on=dt.date(2018, 11, 9),
        cutoff_at=Cohort.cutoff_from_local(day=dt.date(2019, 1, 9), time_zone="America/Los_Angeles"),
    )


def log_days(enrollment, *days, minutes=60, lesson_number=2):
    for day in days:
        StudyLogFactory(enrollment=enrollment, day=day, minutes=minutes, lesson=Lesson.objects.get(number=lesson_number))


def test_streak_counts_back_from_today_and_stops_at_a_gap(reference_window):
    enrollment = EnrollmentFactory(cohort=reference_window, time_zone="UTC")
    log_days(enrollment, dt.date(2018, 11, 10), dt.date(2018, 11, 11), dt.date(2018, 11, 13), dt.date(2018, 11, 14))
    now = dt.datetime(2018, 11, 14, 20, 0, tzinfo=UTC)
    numbers = dashboard_for_enrollment(enrollment=enrollment, now=now)
    assert numbers.standing.streak_days == 2  # 13 and 14 Nov; the 12th is the gap
    assert numbers.numbers.days_studied == 4
    assert numbers.numbers.total_minutes == 240


def test_streak_is_kept_until_the_end_of_today_and_lost_after_a_missed_day(reference_window):
    enrollment = EnrollmentFactory(cohort=reference_window, time_zone="UTC")
    log_days(enrollment, dt.date(2018, 11, 12), dt.date(2018, 11, 13))
    still_today = dashboard_for_enrollment(enrollment=enrollment, now=dt.datetime(2018, 11, 14, 23, 0, tzinfo=UTC))
    missed = dashboard_for_enrollment(enrollment=enrollment, now=dt.datetime(2018, 11, 15, 9, 0, tzinfo=UTC))
    assert (still_today.standing.streak_days, missed.standing.streak_days) == (2, 0)


def test_week_boundaries_follow_the_students_zone_not_utc(reference_window):
    # Week 2 of the course starts Fri 16 Nov. At 15:30 UTC on the 15th it is
    # already 00:30 on the 16th in Tokyo, so that student is in week 2.
    enrollment = EnrollmentFactory(cohort=reference_window, time_zone="Asia/Tokyo")
    log_days(enrollment, dt.date(2018, 11, 15), minutes=120)
    log_days(enrollment, dt.date(2018, 11, 16), minutes=45)
    now = dt.datetime(2018, 11, 15, 15, 30, tzinfo=UTC)
    numbers = dashboard_for_enrollment(enrollment=enrollment, now=now)
    assert numbers.today == dt.date(2018, 11, 16)
    assert (numbers.week.number, numbers.week.starts_on) == (2, dt.date(2018, 11, 16))
    assert numbers.week_minutes == 45

    in_utc = EnrollmentFactory(cohort=reference_window, time_zone="UTC")
    log_days(in_utc, dt.date(2018, 11, 15), minutes=120)
    same_instant = dashboard_for_enrollment(enrollment=in_utc, now=now)
    assert (same_instant.week.number, same_instant.week_minutes) == (1, 120)


@pytest.mark.parametrize(
    ("before_cutoff", "closed", "days_left"),
    [
        (dt.timedelta(days=2, minutes=1), False, 2),
        (dt.timedelta(days=1), False, 1),
        (dt.timedelta(minutes=1), False, 0),
        (dt.timedelta(0), True, 0),
        (-dt.timedelta(hours=5), True, 0),
    ],
)
def test_days_left_around_the_cutoff_instant(reference_window, before_cutoff, closed, days_left):
    enrollment = EnrollmentFactory(cohort=reference_window, time_zone="Asia/Kolkata")
    now = reference_window.cutoff_at - before_cutoff
    numbers = dashboard_for_enrollment(enrollment=enrollment, now=now)
    assert (numbers.is_closed, numbers.days_left) == (closed, days_left)


def test_cutoff_is_shown_in_the_students_own_zone(reference_window):
    enrollment = EnrollmentFactory(cohort=reference_window, time_zone="Asia/Kolkata")
    numbers = dashboard_for_enrollment(enrollment=enrollment, now=dt.datetime(2018, 12, 1, tzinfo=UTC))
    # 23:59 Pacific on 9 Jan is 13:29 on 10 Jan in India (UTC+5:30).
    assert numbers.cutoff_local.isoformat() == "2019-01-10T13:29:00+05:30"


def test_lessons_done_counts_only_this_students_completions(reference_window):
    enrollment = EnrollmentFactory(cohort=reference_window)
    for number in (1, 2, 3):
        LessonProgressFactory(enrollment=enrollment, lesson=Lesson.objects.get(number=number))
    LessonProgressFactory(enrollment=EnrollmentFactory(cohort=reference_window))
    numbers = dashboard_for_enrollment(enrollment=enrollment, now=dt.datetime(2018, 12, 1, tzinfo=UTC))
    assert (numbers.numbers.lessons_done, numbers.lessons_total) == (3, 10)


def test_dashboard_page_shows_the_numbers(student_client, enrollment):
    page = student_client.get(reverse("progress:dashboard"))
    assert text_of(page, "lessons-done") == "0/10"
    assert text_of(page, "total-hours") == "0 min"
    cutoff = enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone))
    assert text_of(page, "cutoff-local").startswith(cutoff.strftime("%A %-d %B %Y"))


def test_the_study_calendar_shows_time_logged_since_the_last_view(client):
    enrollment = EnrollmentFactory(cohort=CohortFactory(), time_zone="UTC")
    client.force_login(enrollment.user)
    today = dt.datetime.now(UTC).date()
    before = client.get(reverse("progress:dashboard")).content.decode()
    assert f"{today:%a %-d %b}: 0 min (today)" in before
    client.post(reverse("progress:log_create"), {"day": today.isoformat(), "lesson": Lesson.objects.get(number=2).pk, "minutes": "1h30"})
    after = client.get(reverse("progress:dashboard")).content.decode()
    assert f"{today:%a %-d %b}: 1 h 30 min (today)" in after
    assert f"{today:%a %-d %b}: 0 min (today)" not in after
