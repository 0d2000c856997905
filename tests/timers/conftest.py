import pytest

from common.timezones import local_today
from lessons.models import Lesson
from tests.factories import EnrollmentFactory

from .zones import zone_where_it_is


@pytest.fixture
def lesson_2(db):
    return Lesson.objects.get(number=2)


@pytest.fixture
def lesson_3(db):
    return Lesson.objects.get(number=3)


@pytest.fixture
def at_noon(db):
    """A student for whom it is now between 12:00 and 13:00."""
    return EnrollmentFactory(time_zone=zone_where_it_is(12))


@pytest.fixture
def today_of():
    return lambda enrollment: local_today(time_zone=enrollment.time_zone)
