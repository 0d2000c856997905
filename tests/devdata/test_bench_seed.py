"""The benchmark cohort looks like a real one: histories, plans, summaries, completions, rollups in step."""

import pytest
from django.db.models import Count

from devdata.bench_data import bench_cohort_seed
from lessons.models import Lesson
from progress.models import Enrollment, LessonProgress, StudyLog, StudyPlan, WeeklySummary
from review.models import StudentRollup
from review.services.rollups import rollups_refresh_many


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

    # The bulk-loaded rollups say what the services would compute for each student.
    rollups = {r.enrollment_id: r for r in StudentRollup.objects.filter(cohort=cohort)}
    assert sum(r.has_plan for r in rollups.values()) == plans.count()
    sample = list(enrollments.order_by("pk")[:10])
    for enrollment in sample:
        before = rollups[enrollment.pk]
        rollups_refresh_many(enrollment_ids=[enrollment.pk])
        after = StudentRollup.objects.get(pk=enrollment.pk)
        fields = ("total_minutes", "days_studied", "lessons_done", "has_plan", "days_ahead", "at_risk", "on_track")
        assert [getattr(before, f) for f in fields] == [getattr(after, f) for f in fields]
