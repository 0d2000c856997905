"""scholarship.prepared runs a queryset's SQL compiled once: it must give what the queryset gives, on each database."""

import datetime as dt

import pytest
from django.db.models import F

from lessons.models import Lesson
from progress.models import Enrollment, StudyLog
from scholarship.prepared import PreparedQuery
from tests.factories import CohortFactory, EnrollmentFactory, StudyLogFactory

pytestmark = pytest.mark.django_db


def _fields(obj, *names):
    return tuple(getattr(obj, name) for name in names)


def test_model_rows_with_select_related_match_the_orm(django_assert_num_queries):
    older = CohortFactory(opens_on=dt.date(2025, 1, 5))
    first = EnrollmentFactory(cohort=older)
    second = EnrollmentFactory(user=first.user)  # a later cohort: comes first below
    EnrollmentFactory()  # someone else's, never returned

    def newest_first(user_id):
        return Enrollment.objects.select_related("cohort", "user").filter(user_id=user_id).order_by("-cohort__opens_on")

    prepared = PreparedQuery(newest_first)
    assert prepared.run(user_id=first.user_id)  # compiles
    with django_assert_num_queries(1):
        got = prepared.run(user_id=first.user_id)
        # The related rows came with it: reading them costs no query.
        seen = [(e.pk, e.user.email, e.cohort.name, e.cohort.cutoff_at, e.cohort.opens_on) for e in got]
    expected = [(e.pk, e.user.email, e.cohort.name, e.cohort.cutoff_at, e.cohort.opens_on) for e in newest_first(first.user_id)]
    assert seen == expected
    assert [e.pk for e in got] == [second.pk, first.pk]
    assert isinstance(got[0].cohort.cutoff_at, dt.datetime) and got[0].cohort.cutoff_at.tzinfo is not None
    assert got[0]._state.adding is False  # loaded, so saving it updates rather than inserts


def test_each_run_uses_its_own_values():
    a, b = StudyLogFactory(minutes=30), StudyLogFactory(minutes=45)
    prepared = PreparedQuery(lambda enrollment_id: StudyLog.objects.filter(enrollment_id=enrollment_id).values_list("day", "minutes"))
    assert prepared.run(enrollment_id=a.enrollment_id) == [(a.day, 30)]
    assert prepared.run(enrollment_id=b.enrollment_id) == [(b.day, 45)]
    assert prepared.run(enrollment_id=10**9) == []
    assert isinstance(prepared.run(enrollment_id=a.enrollment_id)[0][0], dt.date)  # converted, on SQLite too


def test_expressions_and_constants_stay_as_compiled():
    log = StudyLogFactory(minutes=30, community_minutes=15)
    prepared = PreparedQuery(
        lambda enrollment_id: StudyLog.objects.filter(enrollment_id=enrollment_id, minutes__gte=10)
        .annotate(total=F("minutes") + F("community_minutes"))
        .values_list("total", flat=False)
    )
    assert prepared.run(enrollment_id=log.enrollment_id) == [(45,)]


def test_a_parameter_used_twice_takes_the_value_in_both_places():
    mine = StudyLogFactory(minutes=30)
    StudyLogFactory(minutes=30, lesson=mine.lesson)
    prepared = PreparedQuery(
        lambda enrollment_id: StudyLog.objects.filter(enrollment_id=enrollment_id).exclude(enrollment_id__gt=enrollment_id).values_list("pk")
    )
    assert prepared.run(enrollment_id=mine.enrollment_id) == [(mine.pk,)]


def test_a_parameter_the_query_ignores_is_refused():
    with pytest.raises(ValueError, match="not among"):
        PreparedQuery(lambda lesson_id: Lesson.objects.order_by("number").values_list("pk")).run(lesson_id=3)


def test_a_value_the_query_computes_with_is_refused():
    # The SQL would hold number + 1, not the number passed: running it with a new number would be wrong.
    with pytest.raises(ValueError, match="not one of them"):
        PreparedQuery(lambda number: Lesson.objects.filter(number__lte=number + 1).values_list("pk")).run(number=3)


def test_small_integer_columns_take_parameters_too():
    log = StudyLogFactory()
    prepared = PreparedQuery(lambda number: Lesson.objects.filter(number=number).values_list("pk"))
    assert prepared.run(number=log.lesson.number) == [(log.lesson_id,)]


def test_prefetching_is_refused():
    with pytest.raises(ValueError, match="prefetch"):
        PreparedQuery(lambda lesson_id: Lesson.objects.filter(pk=lesson_id).prefetch_related("units")).run(lesson_id=1)
