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

from bench.servers import wait_until_healthy  # noqa: E402
from progress import selectors  # noqa: E402
from progress.bench_data import BENCH_SLUG  # noqa: E402
from progress.models import Cohort, Enrollment, StudyLog  # noqa: E402

PORT = 8766
PASSWORD = "load-test-password"
USERS, STAFF, SECONDS = int(os.environ.get("LOAD_USERS", "200")), 5, int(os.environ.get("LOAD_SECONDS", "100"))


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
                "week": selectors.summary_current_week(enrollment=e),
                "days": [(selectors.enrollment_today(enrollment=e) - dt.timedelta(days=d)).isoformat() for d in range(2)],
            }
            for e in enrollments
        ],
    }
    folder = Path(tempfile.mkdtemp())
    (folder / "credentials.json").write_text(json.dumps(credentials))
    before = StudyLog.objects.filter(enrollment__in=enrollments).count()
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
           "LOGIN_FAILURE_LIMIT": "1000", "LOAD_CREDENTIALS": str(folder / "credentials.json"), "LOAD_POSTS": str(folder / "posts.json"),
           "LOAD_LOGINS": str(folder / "logins.json"), "LOAD_SECONDS": str(SECONDS),
           "LOAD_CPU": str(folder / "cpu.json")}
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
    print(f"\nSteady evening: {USERS} students + {STAFF} staff for {SECONDS} s after the last login, {os.cpu_count()} cores shared with locust, "
          f"gunicorn {os.environ.get('WEB_WORKERS', '3')} workers")
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
    print(f"Posted logs: {len(posts)} accepted posts for {len({tuple(p) for p in posts})} distinct (student, day, lesson); "
          f"missing in the database: {len(missing)}; new rows: {after - before} (a repeat post edits its log: one row per day and lesson)")


if __name__ == "__main__":
    main()
