"""A cohort at programme scale for benchmarks: 10,000 students and their history, by bulk inserts.

Runs from `manage.py seed_bench`. It reuses the demo's study habits (ahead,
steady, stalled, finished) and places "today" late in the window, so the
cohort has most of its history (about 45 logs a student).
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from common.timezones import local_today
from lessons.models import Lesson

from progress import planning
from progress.models import Cohort, Enrollment, ScheduleItem, StudyPlan
from progress.services.rollups import rollups_rebuild

from .demo import FIRST_NAMES, LAST_NAMES, REFERENCE_LENGTH, TIME_ZONES, _pace_for, histories_insert

BENCH_SLUG = "bench"
# Late in a busy programme most students are still going: fewer stalled than the demo.
BENCH_MIX = (25, 55, 12, 8)
CHUNK = 500
# Most students plan on the opening day, before any study, at one of a few daily habits (weekday, weekend hours).
PLANNED_SHARE = 0.7
PLAN_HABITS = ((Decimal("3.5"), Decimal("5")), (Decimal("3"), Decimal("6")), (Decimal("4"), Decimal("4")), (Decimal("2"), Decimal("5")))


def plans_insert(*, enrollments: list[Enrollment], cohort: Cohort, lessons: list[Lesson]) -> int:
    """Opening-day study plans for about PLANNED_SHARE of the students, by bulk inserts; returns how many.

    A plan made before any study depends only on the habit, so each habit's lessons are planned once.
    """
    target_on = cohort.cutoff_local.date() - dt.timedelta(days=7)
    days_off = [dt.date(target_on.year - 1, 12, 25)]
    planned = {
        habit: planning.plan_lessons(
            remaining=[(lesson.pk, lesson.estimated_minutes) for lesson in lessons], starts_on=cohort.opens_on,
            hours=planning.DailyHours(weekday_minutes=int(habit[0] * 60), weekend_minutes=int(habit[1] * 60), days_off=frozenset(days_off)),
        )
        for habit in PLAN_HABITS
    }
    chosen = {}
    for enrollment in enrollments:
        rng = random.Random(f"bench-plan-{enrollment.user_id}")
        if rng.random() < PLANNED_SHARE:
            chosen[enrollment.pk] = rng.choice(PLAN_HABITS)
    plans = StudyPlan.objects.bulk_create(
        StudyPlan(enrollment_id=pk, starts_on=cohort.opens_on, target_on=target_on, weekday_hours=habit[0], weekend_hours=habit[1],
                  days_off=[day.isoformat() for day in days_off])
        for pk, habit in chosen.items()
    )
    ScheduleItem.objects.bulk_create(
        [
            ScheduleItem(plan_id=plan.pk, lesson_id=item.lesson_id, planned_minutes=item.minutes, starts_on=item.starts_on, ends_on=item.ends_on)
            for plan in plans
            for item in planned[chosen[plan.enrollment_id]]
        ],
        batch_size=5000,
    )
    return len(plans)


def bench_cohort_seed(*, students: int, progress: Callable[[str], None] = print) -> Cohort:
    """Replace the bench cohort with `students` new ones; prints each phase's time."""
    started = time.monotonic()
    Cohort.objects.filter(slug=BENCH_SLUG).delete()
    get_user_model().objects.filter(email__endswith="@bench.example.com").delete()
    zone = "America/Los_Angeles"
    today = local_today(time_zone=zone)
    opens_on = today - dt.timedelta(days=55)
    cohort = Cohort.objects.create(
        name="Benchmark cohort", slug=BENCH_SLUG, opens_on=opens_on,
        cutoff_at=Cohort.cutoff_from_local(day=opens_on + REFERENCE_LENGTH, time_zone=zone), time_zone=zone,
        accepts_signups=False,
    )
    lessons = list(Lesson.objects.order_by("number"))
    user_model = get_user_model()
    logs_total = plans_total = 0
    for first in range(0, students, CHUNK):
        indexes = range(first, min(first + CHUNK, students))
        with transaction.atomic():
            users = []
            for index in indexes:
                rng = random.Random(index)
                user = user_model(email=f"student{index:05d}@bench.example.com", full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
                user.set_unusable_password()
                users.append(user)
            user_model.objects.bulk_create(users)
            users = list(user_model.objects.filter(email__in=[u.email for u in users]).order_by("email"))
            Enrollment.objects.bulk_create(
                Enrollment(user=user, cohort=cohort, time_zone=random.Random(user.email).choice(TIME_ZONES)) for user in users
            )
            chunk_enrollments = list(Enrollment.objects.filter(cohort=cohort, user__in=users).select_related("cohort"))
            plans_total += plans_insert(enrollments=chunk_enrollments, cohort=cohort, lessons=lessons)
            logs_total += histories_insert(
                enrollments=chunk_enrollments,
                lessons=lessons,
                today=today,
                rng_for=lambda enrollment: random.Random(f"bench-{enrollment.user_id}"),
                pace_for=lambda enrollment, rng: _pace_for(1 + enrollment.pk, rng, BENCH_MIX),
                batch_size=5000,
            )
        progress(f"  {min(first + CHUNK, students):>6}/{students} students, {logs_total:,} logs, {plans_total:,} plans, {time.monotonic() - started:6.1f} s")
    inserted = time.monotonic()
    rollups_rebuild(cohort_id=cohort.pk)
    if connection.vendor == "postgresql":
        # A live database has statistics; a freshly bulk-loaded one plans blind until autovacuum runs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress(f"seeded {students:,} students and {logs_total:,} study logs in {inserted - started:.1f} s; rollups in {time.monotonic() - inserted:.1f} s")
    return cohort
