"""The benchmark cohort looks like a real one: histories, plans, summaries, completions, rollups in step."""

import pytest
from django.db.models import Count

from devdata.bench_data import bench_cohort_seed
from lessons.models import Lesson
from progress.models import Enrollment, LessonProgress, StudentRollup, StudyLog, StudyPlan, WeeklySummary
from progress.selectors.numbers import rollup_numbers, standings_for_many


@pytest.mark.django_db
def test_a_small_bench_cohort_has_histories_plans_and_rollups_that_match_the_services():
    cohort = bench_cohort_seed(students=60, progress=lambda line: None)
    enrollments = Enrollment.objects.filter(cohort=cohort)
    assert enrollments.count() == 60
    assert StudyLog.objects.filter(enrollment__cohort=cohort).count() > 60 * 20
    assert WeeklySummary.objects.filter(enrollment__cohort=cohort).exists()
    assert LessonProgress.objects.filter(enrollment__cohort=cohort).exists()

    plans = StudyPlan.objects.filter(enrollment__cohort=cohort).annotate(lessons=Count("items"))
    assert 30 <= plans.count() <= 54  # about 70 % plan
    cutoff_day = cohort.cutoff_local.date()
    for plan in plans:
        assert plan.lessons == Lesson.objects.count()
        assert plan.starts_on == cohort.opens_on
        assert max(item.ends_on for item in plan.items.all()) <= cutoff_day

    # The bulk-loaded rollups say what the services would have stored for each student: a recompute from the rows.
    rollups = {r.enrollment_id: r for r in StudentRollup.objects.filter(cohort=cohort)}
    assert set(rollups) == set(enrollments.values_list("pk", flat=True))
    assert sum(r.has_plan for r in rollups.values()) == plans.count()
    fresh = standings_for_many(enrollments=list(enrollments.select_related("cohort")))
    assert {pk: rollup_numbers(rollup) for pk, rollup in rollups.items()} == {pk: standing.numbers for pk, standing in fresh.items()}
