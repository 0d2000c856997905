from decimal import Decimal

import pytest

from lessons.models import Lesson, Unit
from progress.models import Cohort

pytestmark = pytest.mark.django_db

PROGRAMME = [
    (1, "Welcome to the Scholarship Challenge", "Course instructors"),
    (2, "Introduction to Neural Networks", "Luis Serrano"),
    (3, "Talking PyTorch with Soumith Chintala", "Cezanne Camacho and Soumith Chintala"),
    (4, "Introduction to PyTorch", "Mat Leonard"),
    (5, "Convolutional Neural Networks", "Cezanne Camacho, Alexis Cook"),
    (6, "Style Transfer", "Cezanne Camacho"),
    (7, "Recurrent Neural Networks", "Luis Serrano"),
    (8, "Sentiment Prediction with RNNs", "Cezanne Camacho"),
    (9, "Deploying PyTorch Models", "Mat Leonard"),
    (10, "Challenge Project", "Course instructors"),
]


def test_migration_loads_exactly_the_ten_programme_lessons_in_order():
    lessons = list(Lesson.objects.all())
    assert [(lesson.number, lesson.title, lesson.instructors) for lesson in lessons] == PROGRAMME


def test_only_the_challenge_project_is_the_final_project_and_it_is_the_largest():
    lessons = list(Lesson.objects.all())
    assert [lesson.number for lesson in lessons if lesson.is_final_project] == [10]
    largest = max(lessons, key=lambda lesson: lesson.estimated_hours)
    assert largest.number == 10


def test_estimates_fit_eight_weeks_at_three_to_four_hours_a_day():
    total = sum(lesson.estimated_hours for lesson in Lesson.objects.all())
    # Eight weeks at 3 h a day is the slow end, 8 weeks at 4 h the fast end.
    assert Decimal(3 * 7 * 5) <= total <= Decimal(4 * 7 * 8)


def test_each_lesson_has_units_whose_minutes_add_up_to_its_estimate():
    for lesson in Lesson.objects.prefetch_related("units"):
        units = list(lesson.units.all())
        assert units, f"{lesson} has no units"
        assert [unit.order for unit in units] == list(range(1, len(units) + 1))
        assert sum(unit.estimated_minutes for unit in units) == lesson.estimated_minutes
    assert Unit.objects.count() >= 30


def test_reference_cohort_closes_at_2359_pacific_on_9_january_2019():
    cohort = Cohort.objects.get(slug="pytorch-2018-19")
    assert cohort.name == "PyTorch Scholarship Challenge 2018-19"
    assert cohort.opens_on.isoformat() == "2018-11-09"
    assert cohort.cutoff_local.isoformat() == "2019-01-09T23:59:00-08:00"
    assert cohort.phase_two_seats == 300
