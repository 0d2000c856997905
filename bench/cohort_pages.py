"""Benchmark of the staff cohort pages at programme scale (issue 4).

Run on PostgreSQL after `manage.py seed_bench` (or through `make bench-cohort`):

    DATABASE_URL=postgres://... python bench/cohort_pages.py [--requests 20]

For each page it prints the median and p95 over N requests through Django's
full request stack (middleware, auth, templates), the query count, and the
"SQL floor": the same queries the page ran, executed raw on one cursor, so the
ratio shows how much time is Python and templates rather than the database.
It also times the CSV export of every student with its peak Python memory,
and validating and applying a 10,000-row enrolment file.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scholarship.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from devdata.bench_data import BENCH_SLUG  # noqa: E402
from progress.models import Cohort  # noqa: E402
from progress.models import StudentRollup  # noqa: E402
from review.services.enrollment_import import enrollment_file_validate, enrollment_import_apply, enrollment_import_create  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(share * (len(ordered) - 1))), len(ordered) - 1)]


def time_page(client: Client, url: str, requests: int) -> dict:
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    queries = [query["sql"] for query in captured.captured_queries]
    page_times, sql_times = [], []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        page_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql)
                cursor.fetchall()
        sql_times.append((time.perf_counter() - started) * 1000)
    return {
        "median": statistics.median(page_times),
        "p95": percentile(page_times, 0.95),
        "queries": len(queries),
        "sql_median": statistics.median(sql_times),
    }


def export_memory(client: Client, url: str) -> tuple[float, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    rows = 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return elapsed, peak, rows - 1


def enrolment_file_timing(rows: int) -> tuple[float, float]:
    text = "email,full name,time zone\n" + "".join(
        f"import{index:05d}@bench-import.example.com,Import Student {index},Europe/Berlin\n" for index in range(rows)
    )
    cohort, _ = Cohort.objects.get_or_create(
        slug="bench-import",
        defaults={"name": "Benchmark import", "opens_on": Cohort.objects.get(slug=BENCH_SLUG).opens_on,
                  "cutoff_at": Cohort.objects.get(slug=BENCH_SLUG).cutoff_at, "accepts_signups": False},
    )
    get_user_model().objects.filter(email__endswith="@bench-import.example.com").delete()
    started = time.perf_counter()
    validated = enrollment_file_validate(text=text)
    validate_seconds = time.perf_counter() - started
    job = enrollment_import_create(cohort=cohort, rows=validated)
    started = time.perf_counter()
    enrollment_import_apply(import_id=job.pk)
    apply_seconds = time.perf_counter() - started
    cohort.delete()
    get_user_model().objects.filter(email__endswith="@bench-import.example.com").delete()
    return validate_seconds, apply_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://...")
    cohort = Cohort.objects.filter(slug=BENCH_SLUG).first()
    if cohort is None:
        sys.exit("No bench cohort: run `python manage.py seed_bench` first.")
    # Mail goes nowhere during the benchmark; the enrolment timing sends 10,000 emails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    staff, _ = get_user_model().objects.get_or_create(email="bench-staff@example.com", defaults={"full_name": "Bench Staff", "is_staff": True})
    client = Client()
    client.force_login(staff)
    students = StudentRollup.objects.filter(cohort=cohort).count()
    busiest = StudentRollup.objects.filter(cohort=cohort).order_by("-days_studied").values_list("enrollment_id", flat=True).first()
    pages = [
        ("cohort dashboard, page 1", f"/cohort/?cohort={BENCH_SLUG}"),
        ("cohort, at risk sorted by last active", f"/cohort/?cohort={BENCH_SLUG}&show=at_risk&sort=-last_active"),
        ("cohort, search + sort by hours, page 3", f"/cohort/?cohort={BENCH_SLUG}&q=garc&sort=-total&page=3"),
        ("drill-down of the busiest student", f"/cohort/students/{busiest}/"),
        ("phase-two shortlist (all ranked, top 300 shown)", f"/cohort/shortlist/?cohort={BENCH_SLUG}"),
    ]
    print(f"PostgreSQL {connection.pg_version // 10000}, {students:,} students in the bench cohort, "
          f"{os.cpu_count()} cores, {args.requests} requests each\n")
    print("| page | median ms | p95 ms | queries | SQL floor ms | page / floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, url in pages:
        result = time_page(client, url, args.requests)
        ratio = result["median"] / result["sql_median"] if result["sql_median"] else float("inf")
        print(f"| {label} | {result['median']:.1f} | {result['p95']:.1f} | {result['queries']} | {result['sql_median']:.1f} | {ratio:.1f}x |")
    seconds, peak, rows = export_memory(client, f"/cohort/export.csv?cohort={BENCH_SLUG}")
    small_seconds, small_peak, small_rows = export_memory(client, f"/cohort/export.csv?cohort={BENCH_SLUG}&show=finished")
    print(f"\nCSV export: {rows:,} rows in {seconds:.2f} s, peak Python memory {peak:.1f} MB "
          f"({small_rows:,} rows: {small_seconds:.2f} s, {small_peak:.1f} MB)")
    validate_seconds, apply_seconds = enrolment_file_timing(10_000)
    print(f"Enrolment file of 10,000 rows: validated in {validate_seconds:.2f} s, applied in {apply_seconds:.1f} s")


if __name__ == "__main__":
    main()
