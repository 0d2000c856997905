import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import LessonProgress
from progress.services.rollups import rollups_refresh
from progress.services.study_logs import study_log_save
from review.models import PhaseTwoPick
from review.scoring import shortlist_score_parts
from review.selectors.shortlist import cohort_shortlist
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory

BASE = dict(
    lessons_done=5, lessons_total=10, project_submitted=True, project_score=None, best_project_score=None,
    days_studied=10, course_days=20, summaries_written=1, course_weeks=3, community_minutes=30, most_community_minutes=60,
)


def test_score_parts_and_total_by_hand():
    cohort = CohortFactory.build()  # the default weights 40/25/20/10/5
    parts = shortlist_score_parts(**BASE)
    assert (parts.lessons, parts.project, parts.consistency, parts.community) == (0.5, 1.0, 0.5, 0.5)
    assert parts.summaries == pytest.approx(1 / 3)
    # 40*0.5 + 25*1 + 20*0.5 + 10/3 + 5*0.5
    assert parts.total(cohort=cohort) == 60.83


def test_project_part_once_scores_are_published():
    scored = shortlist_score_parts(**{**BASE, "project_score": Decimal("80"), "best_project_score": Decimal("100")})
    assert scored.project == pytest.approx(0.9)
    missing = shortlist_score_parts(**{**BASE, "project_submitted": False})
    assert missing.project == 0.0


def test_shares_never_pass_one_and_empty_wholes_give_zero():
    parts = shortlist_score_parts(**{**BASE, "days_studied": 30, "most_community_minutes": 0, "course_weeks": 0})
    assert (parts.consistency, parts.community, parts.summaries) == (1.0, 0.0, 0.0)


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True))
    return client


def make(cohort, name, *, lessons=0, community=0, finished_on=None):
    enrollment = EnrollmentFactory(cohort=cohort, user__full_name=name)
    today = local_today(time_zone=enrollment.time_zone)
    for lesson in Lesson.objects.filter(number__lte=lessons):
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson, completed_on=finished_on or today)
    if community:
        study_log_save(enrollment=enrollment, day=today, lesson=Lesson.objects.get(number=1), minutes=30, community_minutes=community)
    rollups_refresh(enrollment_ids=[enrollment.pk])  # the completions above were written around the services
    return enrollment


def names(rows):
    return [row.rollup.enrollment.user.full_name for row in rows]


@pytest.mark.django_db
def test_weights_decide_the_order(cohort):
    make(cohort, "Lesson Lover", lessons=6)
    make(cohort, "Chatty Chen", lessons=1, community=600)
    assert names(cohort_shortlist(cohort=cohort).rows)[0] == "Lesson Lover"
    cohort.weight_lessons, cohort.weight_community = 0, 45
    cohort.save()
    assert names(cohort_shortlist(cohort=cohort).rows)[0] == "Chatty Chen"


@pytest.mark.django_db
def test_ties_go_to_the_earlier_finish(cohort):
    opens = cohort.opens_on
    make(cohort, "Late Finisher", lessons=10, finished_on=opens + dt.timedelta(days=15))
    make(cohort, "Early Finisher", lessons=10, finished_on=opens + dt.timedelta(days=9))
    rows = cohort_shortlist(cohort=cohort).rows
    assert rows[0].score == rows[1].score
    assert names(rows) == ["Early Finisher", "Late Finisher"]


@pytest.mark.django_db
def test_page_shows_the_top_seats_with_components_and_picks_stick(staff_client, cohort):
    cohort.phase_two_seats = 2
    cohort.save()
    make(cohort, "First", lessons=8)
    second = make(cohort, "Second", lessons=5)
    make(cohort, "Third", lessons=1)
    page = staff_client.get(reverse("cohort:shortlist"), {"cohort": cohort.slug}).content.decode()
    table = page.split('data-testid="shortlist"', 1)[1]
    assert re.findall(r'/cohort/students/\d+/">([^<]+)<', table) == ["First", "Second"]
    assert "40 × lessons done" in page
    staff_client.post(reverse("cohort:shortlist_pick", args=[second.pk]), {"picked": "1"})
    staff_client.post(reverse("cohort:shortlist_pick", args=[second.pk]), {"picked": "1"})
    assert PhaseTwoPick.objects.filter(enrollment=second).count() == 1
    exported = staff_client.get(reverse("cohort:shortlist"), {"cohort": cohort.slug, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["rank", "name", "email", "score"]
    assert [(row[1], row[-1]) for row in rows[1:]] == [("First", "no"), ("Second", "yes")]
    staff_client.post(reverse("cohort:shortlist_pick", args=[second.pk]), {"picked": "0"})
    assert not PhaseTwoPick.objects.filter(enrollment=second).exists()


@pytest.mark.django_db
def test_students_can_not_see_or_change_the_shortlist(client, cohort):
    other = EnrollmentFactory(cohort=cohort)
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    assert client.get(reverse("cohort:shortlist")).status_code == 403
    assert client.post(reverse("cohort:shortlist_pick", args=[other.pk]), {"picked": "1"}).status_code == 403
    assert not PhaseTwoPick.objects.exists()
