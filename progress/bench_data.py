"""A cohort at programme scale for benchmarks: 10,000 students and their history, by bulk inserts.

Runs from `manage.py seed_bench`. It reuses the demo's study habits (ahead,
steady, stalled, finished) and places "today" late in the window, so the
cohort has most of its history (about 45 logs a student).
"""

import datetime as dt
import random
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from lessons.models import Lesson
from scholarship.timezones import local_today

from .demo import FIRST_NAMES, LAST_NAMES, REFERENCE_LENGTH, TIME_ZONES, _pace_for, histories_insert
from .models import Cohort, Enrollment
from .services import rollups_rebuild

BENCH_SLUG = "bench"
# Late in a busy programme most students are still going: fewer stalled than the demo.
BENCH_MIX = (25, 55, 12, 8)
CHUNK = 500


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
    logs_total = 0
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
            logs_total += histories_insert(
                enrollments=list(Enrollment.objects.filter(cohort=cohort, user__in=users).select_related("cohort")),
                lessons=lessons,
                today=today,
                rng_for=lambda enrollment: random.Random(f"bench-{enrollment.user_id}"),
                pace_for=lambda enrollment, rng: _pace_for(1 + enrollment.pk, rng, BENCH_MIX),
                batch_size=5000,
            )
        progress(f"  {min(first + CHUNK, students):>6}/{students} students, {logs_total:,} logs, {time.monotonic() - started:6.1f} s")
    inserted = time.monotonic()
    rollups_rebuild(cohort_id=cohort.pk)
    if connection.vendor == "postgresql":
        # A live database has statistics; a freshly bulk-loaded one plans blind until autovacuum runs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress(f"seeded {students:,} students and {logs_total:,} study logs in {inserted - started:.1f} s; rollups in {time.monotonic() - inserted:.1f} s")
    return cohort
