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

from django.db import connection  # noqa: E402
import redis  # noqa: E402

from bench import counting_mail  # noqa: E402
from devdata.bench_data import BENCH_SLUG  # noqa: E402
from events.models import Event, Rsvp  # noqa: E402
from notifications import tasks as notifications_tasks  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.occasions import Occasion  # noqa: E402
from notifications.services.dispatch import notifications_dispatch, notifications_dispatch_occasion, recipients_due  # noqa: E402
from notifications.services.events import event_emails_dispatch  # noqa: E402
from progress.models import Cohort, Enrollment  # noqa: E402
from review.selectors.cohorts import cohort_time_zones  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (a Celery or gunicorn master and its workers)."""
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()] if Path(f"/proc/{pid}").exists() else []
    peak = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return round(peak / 1024, 1)


def _counting_worker() -> subprocess.Popen:
    """A Celery worker (2 processes) on the bench queue whose mail backend counts each message in Redis."""
    env = {**os.environ, "EMAIL_BACKEND": "bench.counting_mail.CountingBackend", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "scholarship", "worker", "-Q", QUEUE, "--concurrency", "2",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )


def run_through_worker(kind: str = Notification.Kind.STUDENT_DIGEST) -> dict:
    """Send one occasion of `kind` to every bench student through a real worker; returns the measurements."""
    cohort = Cohort.objects.filter(slug=BENCH_SLUG).first()
    if cohort is None:
        sys.exit("No bench cohort: run `python manage.py seed_bench` first.")
    wants = {"wants_digests": True} if kind == Notification.Kind.STUDENT_DIGEST else {"wants_reminders": True}
    students = Enrollment.objects.filter(cohort=cohort, **wants).count()
    store = redis.Redis.from_url(os.environ["REDIS_URL"])
    counting_mail.reset(store, KEY)
    Notification.objects.filter(cohort=cohort, kind=kind).delete()
    today = dt.date.today()
    if kind == Notification.Kind.STUDENT_DIGEST:
        day = cohort.opens_on + dt.timedelta(days=7 * ((today - cohort.opens_on).days // 7))
        number = (day - cohort.opens_on).days // 7 + 1
    else:
        # One reminder occasion for every eligible student at once, straight to the worker: this measures
        # the send path; the digest run above measures the 15-minute dispatcher across the zones.
        day = None
        number = max((cohort.cutoff_at - dt.datetime.now(dt.UTC)).days, 0)  # days before the cut-off, as a beat would say
        reminder = Occasion(Notification.Kind.DEADLINE_REMINDER, cohort, number, tuple(cohort_time_zones(cohort=cohort)))
        students = len(recipients_due(occasion=reminder, now=dt.datetime.now(dt.UTC)))
    worker = _counting_worker()
    try:
        time.sleep(4)  # the worker connects
        started = time.perf_counter()
        chunks = 0

        def enqueue(occasion, ids):
            nonlocal chunks
            if occasion.kind == kind and occasion.cohort.pk == cohort.pk:
                notifications_tasks.notifications_send_chunk.apply_async((occasion.kind, cohort.pk, occasion.number, ids), queue=QUEUE)
                chunks += 1

        # Real beats are 15 minutes apart, far longer than a beat's work: so the simulated clock
        # moves on only once the chunks a beat handed out have been sent.
        busy = idle = 0.0
        beats_with_work = 0
        if day is None:
            beat_started = time.perf_counter()
            notifications_dispatch_occasion(occasion=reminder, now=dt.datetime.now(dt.UTC), send=enqueue)
            while Notification.objects.filter(cohort=cohort, kind=kind, state="claimed").exists():
                time.sleep(0.2)
            busy = time.perf_counter() - beat_started
            beats_with_work = 1
        step = dt.datetime.combine((day or today) - dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
        end = step + dt.timedelta(days=2) if day else step
        while step < end:
            beat_started = time.perf_counter()
            before = chunks
            notifications_dispatch(now=step, send=enqueue)
            if chunks > before:
                beats_with_work += 1
                while Notification.objects.filter(cohort=cohort, kind=kind, state="claimed").exists():
                    time.sleep(0.2)
                busy += time.perf_counter() - beat_started
            else:
                idle += time.perf_counter() - beat_started
            step += dt.timedelta(minutes=15)
        elapsed = time.perf_counter() - started
        worker_peak_mb = peak_rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    counts, inbox = counting_mail.counts(store, KEY)
    sent = Notification.objects.filter(cohort=cohort, kind=kind, state="sent")
    return {
        "kind": kind,
        "students": students,
        "sent_seconds": round(busy, 1),
        "idle_beats_seconds": round(idle, 1),
        "whole_run_seconds": round(elapsed, 1),
        "beats_with_work": beats_with_work,
        "chunk_tasks": sent.values("claim_token").distinct().count(),
        "messages_counted": sum(counts.values()),
        "ledger_rows_sent": sent.filter(number=number).count(),
        "recipients_not_once": sum(1 for n in inbox.values() if n != 1),
        "deliveries_not_once": sum(1 for n in counts.values() if n != 1),
        "students_without": students - len(counts),
        "worker_peak_rss_mb": worker_peak_mb,
    }


def run_event_reminder(*, rsvps: int = 2000) -> dict:
    """The reminder for one event with `rsvps` students coming, through a real worker: the beat twice, then sent."""
    cohort = Cohort.objects.get(slug=BENCH_SLUG)
    now = dt.datetime.now(dt.UTC)
    event = Event.objects.create(cohort=cohort, title="Bench AMA", host="Bench", starts_at=now + dt.timedelta(minutes=50),
                                 join_url="https://meet.example.org/bench")
    going = list(Enrollment.objects.filter(cohort=cohort, user__is_active=True).order_by("pk").values_list("pk", flat=True)[:rsvps])
    Rsvp.objects.bulk_create([Rsvp(event=event, enrollment_id=pk) for pk in going])
    store = redis.Redis.from_url(os.environ["REDIS_URL"])
    counting_mail.reset(store, KEY)
    worker = _counting_worker()
    try:
        time.sleep(4)  # the worker connects
        started = time.perf_counter()

        def enqueue(kind, cohort_id, number, ids):
            notifications_tasks.notifications_send_chunk.apply_async((kind, cohort_id, number, ids), queue=QUEUE)

        handed = event_emails_dispatch(send=enqueue, now=now)
        handed_again = event_emails_dispatch(send=enqueue, now=now + dt.timedelta(minutes=5))  # the next beat
        while Notification.objects.filter(event=event, state="claimed").exists():
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    counts, inbox = counting_mail.counts(store, KEY)
    return {
        "rsvps": len(going), "handed_out": handed, "handed_out_by_second_beat": handed_again, "sent_seconds": round(elapsed, 1),
        "messages_counted": sum(counts.values()), "recipients_not_once": sum(1 for n in inbox.values() if n != 1),
        "students_without": len(going) - len(counts),
    }


def main() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("Run on PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
    result = run_through_worker(Notification.Kind.STUDENT_DIGEST)
    print(f"Weekly digest to {result['students']:,} students through a Celery worker (2 processes) on Redis + PostgreSQL, {os.cpu_count()} cores")
    print(f"  {result['chunk_tasks']} chunk tasks from {result['beats_with_work']} beats with work; sending (dispatch + chunks): {result['sent_seconds']} s")
    print(f"  idle beats: {result['idle_beats_seconds']} s; whole run {result['whole_run_seconds']} s; worker peak RSS {result['worker_peak_rss_mb']} MB")
    print(f"  messages counted: {result['messages_counted']:,}; ledger rows sent: {result['ledger_rows_sent']:,}; "
          f"recipients other than once: {result['recipients_not_once']}; students without: {result['students_without']}")


if __name__ == "__main__":
    main()
