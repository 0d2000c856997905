"""Load test: 200 students and 5 staff for a bounded time against gunicorn on loopback, then check every
posted log is in the database exactly once. Needs PostgreSQL, Redis and `seed_bench` first.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/load.py
"""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scholarship.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from bench.ports import port_from_env  # noqa: E402
from bench.servers import wait_until_healthy  # noqa: E402
from devdata.bench_data import BENCH_SLUG  # noqa: E402
from progress.models import Cohort, Enrollment, StudyLog  # noqa: E402
from progress.selectors.enrollments import enrollment_today  # noqa: E402
from progress.selectors.reflection import summary_current_week  # noqa: E402
from progress.services.rollups import rollups_refresh  # noqa: E402

PORT = port_from_env("LOAD_PORT", 8766)  # gunicorn's
PASSWORD = "load-test-password"
USERS, STAFF, SECONDS = int(os.environ.get("LOAD_USERS", "200")), 5, int(os.environ.get("LOAD_SECONDS", "100"))
# Offered requests a second (the target is 150 answered; see the locustfile); 0: as fast as answered.
RATE = float(os.environ.get("LOAD_RATE", "160"))


def _clear_the_posted_days(*, enrollments, students) -> None:
    """Remove the students' logs on the days the run posts to (an earlier run's), so each accepted post must add one row."""
    slots = Q()
    for student in students:
        slots |= Q(enrollment_id=student["enrollment"], day__in=student["days"])
    StudyLog.objects.filter(slots).delete()
    rollups_refresh(enrollment_ids=[e.pk for e in enrollments])  # a bulk delete skips the services: keep their numbers


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: set DATABASE_URL=postgres://...")
    cohort = Cohort.objects.filter(slug=BENCH_SLUG).first()
    if cohort is None:
        sys.exit("No bench cohort: run `python manage.py seed_bench` first.")
    hashed = make_password(PASSWORD)
    enrollments = list(Enrollment.objects.filter(cohort=cohort).select_related("user").order_by("pk")[:USERS])
    get_user_model().objects.filter(pk__in=[e.user_id for e in enrollments]).update(password=hashed)
    staff = []
    for n in range(STAFF):
        user, _ = get_user_model().objects.get_or_create(email=f"load-staff{n}@example.com", defaults={"full_name": f"Staff {n}", "is_staff": True})
        user.password, user.is_staff = hashed, True
        user.save()
        staff.append(user.email)
    credentials = {
        "password": PASSWORD,
        "cohort": BENCH_SLUG,
        "staff": staff,
        "students": [
            {
                "email": e.user.email,
                "enrollment": e.pk,
                "week": summary_current_week(enrollment=e),
                "days": [(enrollment_today(enrollment=e) - dt.timedelta(days=d)).isoformat() for d in range(2)],
            }
            for e in enrollments
        ],
    }
    folder = Path(tempfile.mkdtemp())
    (folder / "credentials.json").write_text(json.dumps(credentials))
    _clear_the_posted_days(enrollments=enrollments, students=credentials["students"])
    before = StudyLog.objects.filter(enrollment__in=enrollments).count()
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
           "LOGIN_FAILURE_LIMIT": "1000", "LOAD_CREDENTIALS": str(folder / "credentials.json"), "LOAD_POSTS": str(folder / "posts.json"),
           "LOAD_LOGINS": str(folder / "logins.json"), "LOAD_SECONDS": str(SECONDS),
           "LOAD_CPU": str(folder / "cpu.json"), "LOAD_RATE": str(RATE)}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "scholarship.wsgi", "--workers", os.environ.get("WEB_WORKERS", "3"),
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_until_healthy(f"http://127.0.0.1:{PORT}")
        env["LOAD_SERVER_PID"] = str(server.pid)
        spawn_rate = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
        # The steady evening starts when the last user has logged in (see the locustfile); this bound
        # only stops a run whose logins never finish.
        bound = int((USERS + STAFF) / spawn_rate * 3 + SECONDS + 60)
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--users", str(USERS + STAFF),
             "--spawn-rate", str(spawn_rate), "--run-time", f"{bound}s", "--host", f"http://127.0.0.1:{PORT}",
             "--csv", str(folder / "load"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader(open(folder / "load_stats.csv")))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    logins = json.loads((folder / "logins.json").read_text()) if (folder / "logins.json").exists() else None
    if logins is None:
        sys.exit("Not every user logged in: no steady phase was measured.")
    print(f"\nLogin phase: {logins['logins']} logins ({logins['failures']} failed) in {logins['seconds']} s, median {logins['median_ms']} ms, "
          f"p95 {logins['p95_ms']} ms (each login hashes a password on purpose)")
    offered = f"paced to offer {RATE:g} req/s together" if RATE else "each as fast as answered, 0.5-1.5 s between tasks (capacity)"
    print(f"\nSteady evening: {USERS} students + {STAFF} staff for {SECONDS} s after the last login, {offered}; "
          f"{os.cpu_count()} cores shared with locust, gunicorn {os.environ.get('WEB_WORKERS', '3')} workers")
    print("| endpoint | requests | failures | median ms | p95 ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['Median Response Time']} | {row['95%']} | {float(row['Requests/s']):.1f} |")
    posts = json.loads((folder / "posts.json").read_text()) if (folder / "posts.json").exists() else []
    missing = [p for p in {tuple(p) for p in posts} if not StudyLog.objects.filter(enrollment_id=p[0], day=p[1], lesson_id=p[2]).exists()]
    after = StudyLog.objects.filter(enrollment__in=enrollments).count()
    print(f"\nTotal {float(total['Requests/s']):.1f} req/s, p95 {total['95%']} ms, failures {total['Failure Count']}")
    cpu = json.loads((folder / "cpu.json").read_text())
    requests = int(total["Request Count"])
    print(f"CPU over the steady phase ({os.cpu_count()} cores × {SECONDS} s = {os.cpu_count() * SECONDS} core-s): machine busy {cpu['machine_busy']} core-s; "
          f"gunicorn {cpu['server']} core-s ({1000 * cpu['server'] / max(requests, 1):.1f} ms a request); locust {cpu['locust']} core-s; "
          f"the rest (PostgreSQL, Redis, system) {cpu['machine_busy'] - cpu['server'] - cpu['locust']:.1f} core-s")
    distinct = len({tuple(p) for p in posts})
    print(f"Posted logs: {len(posts)} accepted posts for {distinct} distinct (student, day, lesson); missing in the database: {len(missing)}; "
          f"new rows: {after - before} (the run's days were cleared first; a repeat post edits its log: one row per day and lesson; "
          f"a post still in flight when locust stops is stored without an answer, so new rows may exceed the distinct accepted by a few)")
    checks = {
        "at least 150 req/s answered": float(total["Requests/s"]) >= 150,
        "p95 under 500 ms": float(total["95%"]) < 500,
        "no failed request": int(total["Failure Count"]) == 0,
        "every accepted post stored once": not missing and 0 <= after - before - distinct <= 10,
    }
    print("Targets: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks.items()))
    if RATE and not all(checks.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
