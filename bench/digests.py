"""Benchmark: the weekly digest to every student of the bench cohort through a real Celery worker.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL) and `manage.py seed_bench` first:

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/digests.py

It starts a worker process (2 processes) whose mail backend counts each message per recipient in
Redis, then runs the 15-minute dispatcher across the day a course week begins, so each zone becomes
due at its own 09:00, and waits until every student has had their digest. It prints the time, the
messages counted, and any recipient counted more or less than once.
"""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scholarship.settings")
QUEUE = "bench-digests"
KEY = "bench:mail"
os.environ["BENCH_MAIL_KEY"] = KEY

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.db import connection  # noqa: E402

from progress import services, tasks  # noqa: E402
from progress.bench_data import BENCH_SLUG  # noqa: E402
from progress.models import Cohort, Enrollment, Notification  # noqa: E402


def main() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("Run on PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
    cohort = Cohort.objects.filter(slug=BENCH_SLUG).first()
    if cohort is None:
        sys.exit("No bench cohort: run `python manage.py seed_bench` first.")
    students = Enrollment.objects.filter(cohort=cohort, wants_digests=True).count()
    store = redis.Redis.from_url(os.environ["REDIS_URL"])
    store.delete(KEY)
    Notification.objects.filter(cohort=cohort).delete()
    today = dt.date.today()
    week_start = cohort.opens_on + dt.timedelta(days=7 * ((today - cohort.opens_on).days // 7))
    occasion_week = (week_start - cohort.opens_on).days // 7 + 1
    env = {**os.environ, "EMAIL_BACKEND": "bench.counting_mail.CountingBackend", "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "scholarship", "worker", "-Q", QUEUE, "--concurrency", "2",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )
    try:
        time.sleep(4)  # the worker connects
        started = time.perf_counter()
        chunks = 0

        def enqueue(occasion, ids):
            nonlocal chunks
            if occasion.kind == Notification.Kind.STUDENT_DIGEST and occasion.cohort.pk == cohort.pk:
                tasks.notifications_send_chunk.apply_async((occasion.kind, cohort.pk, occasion.key, ids), queue=QUEUE)
                chunks += 1

        # Real beats are 15 minutes apart, far longer than a beat's work: so the simulated clock
        # moves on only once the chunks a beat handed out have been sent.
        step = dt.datetime.combine(week_start - dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
        end = step + dt.timedelta(days=2)
        busy = idle = 0.0
        beats_with_work = 0
        while step < end:
            beat_started = time.perf_counter()
            before = chunks
            services.notifications_dispatch(now=step, send=enqueue)
            if chunks > before:
                beats_with_work += 1
                while Notification.objects.filter(cohort=cohort, kind="digest", state="claimed").exists():
                    time.sleep(0.2)
                busy += time.perf_counter() - beat_started
            else:
                idle += time.perf_counter() - beat_started
            step += dt.timedelta(minutes=15)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    counts = {key.decode(): int(value) for key, value in store.hgetall(KEY).items()}
    total = sum(counts.values())
    wrong = {address: n for address, n in counts.items() if n != 1}
    sent_rows = Notification.objects.filter(cohort=cohort, kind="digest", state="sent", occasion=f"digest-week-{occasion_week}").count()
    print(f"Weekly digest (week {occasion_week}) to {students:,} students through a Celery worker (2 processes) on Redis + PostgreSQL, {os.cpu_count()} cores")
    executions = Notification.objects.filter(cohort=cohort, kind="digest", state="sent").values("claim_token").distinct().count()
    print(f"  {executions} chunk tasks sent mail, from {beats_with_work} beats with work; sending (dispatch + chunks, those beats): {busy:.1f} s")
    print(f"  the other {192 - beats_with_work} beats found no one due: {idle:.1f} s in all ({idle / max(192 - beats_with_work, 1) * 1000:.0f} ms each)")
    print(f"  whole run {elapsed:.1f} s; messages counted by the mail backend: {total:,}; ledger rows sent: {sent_rows:,}")
    print(f"  recipients counted other than once: {len(wrong)}; students without a digest: {students - len(counts)}")


if __name__ == "__main__":
    main()
