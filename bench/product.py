"""`make bench`: the whole product at programme scale, on PostgreSQL and Redis, through real servers.

1. Seeds 10,000 students (bulk inserts) and times it.
2. Times each page over N requests through gunicorn (2 workers): median, p95, query count, and the
   ratio to two floors measured in the same run, the page's own SQL run raw (database floor) and a
   near-empty Django view on the same server, /favicon.ico (framework floor).
   The community page is timed with 50 shared summaries of hostile markdown at full length, the
   largest renderings of bench/hostile_markdown.py, written through the service (rendered on write).
3. Sends the deadline reminder and the weekly digest to every student through a real Celery worker,
   counting each message per recipient.
4. Records the peak resident memory of each gunicorn worker and of the Celery worker.
5. Times the markdown renderer (best of three, CPU) on every hostile input.
6. Writes bench/results.json and bench/results.md.
"""

import datetime as dt
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scholarship.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.digests import peak_rss_mb, run_event_reminder, run_through_worker  # noqa: E402
from bench.hostile_markdown import LONGEST, every_case  # noqa: E402
from bench.servers import Browser, csrf_token, wait_until_healthy  # noqa: E402
from common.markdown import markdown_render  # noqa: E402
from devdata.bench_data import BENCH_SLUG  # noqa: E402
from events.models import Event, Rsvp  # noqa: E402
from groups.models import Membership, Mentorship, StudyGroup  # noqa: E402
from groups.services.forming import forming_run_apply, forming_run_create  # noqa: E402
from integrations.models import SlackLink  # noqa: E402
from notifications.models import Notification  # noqa: E402
from progress.models import Cohort, StudyPlan  # noqa: E402
from progress.selectors.enrollments import enrollment_today  # noqa: E402
from progress.selectors.reflection import summary_current_week  # noqa: E402
from progress.services.plans import schedule_build  # noqa: E402
from progress.services.reflection import weekly_summary_save  # noqa: E402
from progress.services.rollups import rollups_rebuild  # noqa: E402
from progress.models import StudentRollup  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
STUDENT_PASSWORD = "bench-student-password"
STAFF_EMAIL = "bench-staff@example.com"


def log_in(email: str, password: str) -> Browser:
    browser = Browser(BASE)
    browser.log_in(email, password)
    return browser


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(int(round(share * (len(ordered) - 1))), len(ordered) - 1)]


def time_http(browser, path, requests, post=None, before=None):
    times = []
    for _ in range(requests):
        if before:
            before()
        data = None
        if post:
            _, page, _ = browser.request(path)
            data = {"csrfmiddlewaretoken": csrf_token(page), **post}
        started = time.perf_counter()
        status, _, _ = browser.request(path, data)
        times.append((time.perf_counter() - started) * 1000)
        assert status in (200, 301, 302), f"{path} answered {status}"
    return statistics.median(times), percentile(times, 0.95)


def sql_floor(user, path, post=None, before=None):
    """The page's queries (captured in-process) and how long they take run raw."""
    client = Client()
    client.force_login(user)
    client.get(path)
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, post) if post else client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    queries = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    times = []
    for _ in range(10):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in queries:
                if sql.lstrip().upper().startswith("SELECT"):
                    cursor.execute(sql)
                    cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return len(captured.captured_queries), statistics.median(times)


def markdown_timings() -> list[dict]:
    """CPU milliseconds (best of three) to render and sanitise each hostile input, slowest first."""
    rows = []
    for name, text in every_case().items():
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            html = markdown_render(text)
            best = min(best, time.process_time() - started)
        rows.append({"case": name, "ms": round(best * 1000, 2), "html_kb": round(len(html) / 1024, 1)})
    return sorted(rows, key=lambda row: -row["ms"])


def hostile_summaries_share(*, cohort, count: int = 50) -> float:
    """`count` students share a week-1 summary of hostile markdown, the largest renderings first; seconds taken."""
    # A NUL can not be stored (the service refuses it), so that case is rendered but not shared.
    cases = sorted((text for text in every_case().values() if "\x00" not in text), key=lambda text: -len(markdown_render(text)))
    authors = list(cohort.enrollments.select_related("cohort").order_by("pk")[:count])
    started = time.perf_counter()
    for n, author in enumerate(authors):
        weekly_summary_save(enrollment=author, week_number=1, body=cases[n % len(cases)], is_shared=True)
    return time.perf_counter() - started


SLACK_SECRET = "bench-signing-secret"


def events_seed(*, cohort, student, staff) -> None:
    """Thirty past and twenty upcoming events; the busiest student is going to five and attended ten."""
    now = dt.datetime.now(dt.UTC)
    events = Event.objects.bulk_create([
        Event(cohort=cohort, title=f"Bench event {n}", host="Bench host", starts_at=now + dt.timedelta(hours=12 * n),
              join_url="https://meet.example.org/bench", description="An **AMA** about lesson " + str(abs(n) % 9 + 1), created_by=staff)
        for n in range(-30, 20) if n
    ])
    Rsvp.objects.bulk_create([Rsvp(event=event, enrollment=student, attended_at=now if event.starts_at < now else None)
                              for event in events[20:35]])


def time_slack(*, student, requests: int) -> tuple[float, float]:
    """`/study` as Slack sends it (signed form bodies) through gunicorn: today, status and a log, in turn."""
    SlackLink.objects.update_or_create(enrollment=student, defaults={"team_id": "TBENCH", "slack_user_id": "UBENCH"})
    texts = ["today", "status", "1m L3 bench from slack"]  # each log adds a minute: 30 of them stay inside the day
    times = []
    for n in range(requests):
        body = urlencode({"team_id": "TBENCH", "user_id": "UBENCH", "command": "/study", "text": texts[n % 3], "trigger_id": f"bench.{n}"})
        stamp = str(int(time.time()))
        signature = "v0=" + hmac.new(SLACK_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(f"{BASE}/integrations/slack/commands", data=body.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
        times.append((time.perf_counter() - started) * 1000)
        assert answer["response_type"] == "ephemeral" and "Not saved" not in answer["text"], answer
    return statistics.median(times), percentile(times, 0.95)


def form_groups(*, cohort, staff) -> dict:
    """Every student into groups through the "form groups" job's service (timed), then staff mentor ten of them."""
    started = time.perf_counter()
    run = forming_run_create(cohort=cohort, started_by=staff, enqueue=lambda run_id: None)
    planned = time.perf_counter() - started
    run = forming_run_apply(run_id=run.pk)
    applied = time.perf_counter() - started - planned
    for group in StudyGroup.objects.filter(cohort=cohort).order_by("pk")[:10]:
        Mentorship.objects.get_or_create(group=group, mentor=staff)
    return {"groups": run.total_groups, "students": run.placed_students, "plan_s": round(planned, 1), "apply_s": round(applied, 1)}


def main() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("make bench runs on PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
    students = int(os.environ.get("STUDENTS", "10000"))
    requests = int(os.environ.get("REQUESTS", "30"))
    results = {"date": dt.date.today().isoformat(), "cores": os.cpu_count(), "students": students, "pages": []}

    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "seed_bench", "--students", str(students)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    results["seed_seconds"] = round(time.perf_counter() - started, 1)
    cohort = Cohort.objects.get(slug=BENCH_SLUG)
    results["study_logs"] = cohort.enrollments.aggregate(n=django.db.models.Count("study_logs"))["n"]

    busiest = StudentRollup.objects.filter(cohort=cohort).order_by("-days_studied").select_related("enrollment__user").first().enrollment
    user = busiest.user
    user.set_password(STUDENT_PASSWORD)
    user.save()
    if not StudyPlan.objects.filter(enrollment=busiest).exists():
        schedule_build(enrollment=busiest, starts_on=cohort.opens_on, target_on=cohort.cutoff_local.date() - dt.timedelta(days=7),
                                weekday_hours=Decimal("4"), weekend_hours=Decimal("6"), days_off=[], accept_after_cutoff=True)
    staff, _ = get_user_model().objects.get_or_create(email=STAFF_EMAIL, defaults={"full_name": "Bench Staff", "is_staff": True})
    staff.is_staff = True
    staff.set_password(STUDENT_PASSWORD)
    staff.save()
    week = summary_current_week(enrollment=busiest)
    today = enrollment_today(enrollment=busiest)
    lesson = busiest.study_logs.order_by("-day").first().lesson_id
    results["hostile_summaries_write_s"] = round(hostile_summaries_share(cohort=cohort), 2)
    results["form_groups"] = form_groups(cohort=cohort, staff=staff)
    events_seed(cohort=cohort, student=busiest, staff=staff)
    group_id = Membership.objects.get(enrollment=busiest).group_id
    started = time.perf_counter()
    rollups_rebuild(cohort_id=cohort.pk)  # what the cohort-wide job does after an estimate or cut-off edit
    results["cohort_rebuild_s"] = round(time.perf_counter() - started, 1)
    print(f"  cohort-wide rollup rebuild: {results['cohort_rebuild_s']} s for {students:,} students", flush=True)
    with connection.cursor() as cursor:  # settle the bulk inserts and the rebuild's upserts, as autovacuum would
        cursor.execute("VACUUM ANALYZE")
    cache.clear()  # the cohort charts of an earlier run's database must not answer

    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
           "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_COMMANDS_PER_MINUTE": "100000"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "scholarship.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
                               "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_until_healthy(BASE)
        student_browser = log_in(user.email, STUDENT_PASSWORD)
        staff_browser = log_in(STAFF_EMAIL, STUDENT_PASSWORD)
        floor_median, floor_p95 = time_http(student_browser, "/favicon.ico", requests)
        results["framework_floor_ms"] = round(floor_median, 1)
        # (label, browser, user, path, POST data, budget as a multiple of the framework floor: issue 23)
        pages = [
            ("student dashboard", student_browser, user, "/dashboard/", None, 20),
            ("log form POST", student_browser, user, "/logs/new/", {"day": today.isoformat(), "lesson": lesson, "minutes": "45m"}, 15),
            ("lesson list", student_browser, user, "/lessons/", None, 15),
            ("schedule", student_browser, user, "/schedule/", None, 15),
            ("weekly summary page", student_browser, user, f"/summaries/{week}/", None, 15),
            ("community page, 50 shared summaries of hostile markdown at full length", student_browser, user, "/community/summaries/", None, 25),
            ("cohort dashboard, page 1", staff_browser, staff, f"/cohort/?cohort={BENCH_SLUG}", None, 60),
            ("cohort, at risk sorted by last active", staff_browser, staff, f"/cohort/?cohort={BENCH_SLUG}&show=at_risk&sort=-last_active", None, 60),
            ("group page (the busiest student's group)", student_browser, user, f"/groups/{group_id}/", None, 15),
            ("/mentor/, a mentor of 10 groups", staff_browser, staff, "/mentor/", None, 30),
            ("events page (20 upcoming, 20 past shown)", student_browser, user, "/events/", None, 15),
            ("drill-down", staff_browser, staff, f"/cohort/students/{busiest.pk}/", None, 30),
            ("CSV export, all students", staff_browser, staff, f"/cohort/export.csv?cohort={BENCH_SLUG}", None, None),
        ]
        for label, browser, who, path, post, budget in pages:
            median, p95 = time_http(browser, path, requests, post)
            queries, sql_ms = sql_floor(who, path, post)
            results["pages"].append({
                "page": label, "median_ms": round(median, 1), "p95_ms": round(p95, 1), "queries": queries,
                "sql_floor_ms": round(sql_ms, 1), "x_sql_floor": round(median / sql_ms, 1) if sql_ms else None,
                "x_framework_floor": round(median / floor_median, 1), "budget_x": budget,
            })
            print(f"  {label}: {median:.1f} ms median, {p95:.1f} ms p95, {queries} queries", flush=True)
        slack_median, slack_p95 = time_slack(student=busiest, requests=3 * requests)
        results["slack_command"] = {"median_ms": round(slack_median, 1), "p95_ms": round(slack_p95, 1), "requests": 3 * requests}
        print(f"  /study through gunicorn: {slack_median:.1f} ms median, {slack_p95:.1f} ms p95", flush=True)
        results["gunicorn_peak_rss_mb"] = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    results["markdown"] = markdown_timings()
    results["reminders"] = run_through_worker(Notification.Kind.DEADLINE_REMINDER)
    results["digests"] = run_through_worker(Notification.Kind.STUDENT_DIGEST)
    results["event_reminder"] = run_event_reminder(rsvps=2000)
    write(results)


def write(results: dict) -> None:
    folder = Path(__file__).resolve().parent
    (folder / "results.json").write_text(json.dumps(results, indent=2, default=str))
    lines = [
        f"# make bench: {results['date']}, {results['cores']} cores, PostgreSQL + Redis",
        "",
        f"Seeded {results['students']:,} students and {results['study_logs']:,} study logs in {results['seed_seconds']} s.",
        f"Framework floor (/favicon.ico through gunicorn): {results['framework_floor_ms']} ms median.",
        "",
        "| page | median ms | p95 ms | queries | SQL floor ms | × SQL floor | × framework floor | budget (×) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {p['page']} | {p['median_ms']} | {p['p95_ms']} | {p['queries']} | {p['sql_floor_ms']} | {p['x_sql_floor']} | "
        f"{p['x_framework_floor']} | {p.get('budget_x') or '–'} |"
        for p in results["pages"]
    ]
    lines.append("")
    if "cohort_rebuild_s" in results:
        lines.append(f"- cohort-wide rollup rebuild (the job after an estimate or cut-off edit): {results['cohort_rebuild_s']} s "
                     f"for {results['students']:,} students (budget 60 s)")
    if "form_groups" in results:
        f = results["form_groups"]
        lines.append(
            f"- form groups: {f['students']:,} students into {f['groups']:,} groups in {round(f['plan_s'] + f['apply_s'], 1)} s "
            f"(planning {f['plan_s']} s, the job applying it {f['apply_s']} s)"
        )
    if "slack_command" in results:
        s = results["slack_command"]
        lines.append(f"- `/study` slash command (signed, through gunicorn; today, status and a log in turn): {s['median_ms']} ms median, "
                     f"{s['p95_ms']} ms p95 over {s['requests']} requests")
    if "event_reminder" in results:
        e = results["event_reminder"]
        lines.append(f"- event reminder: {e['rsvps']:,} RSVPs, {e['messages_counted']:,} messages in {e['sent_seconds']} s through a worker; "
                     f"a second beat handed out {e['handed_out_by_second_beat']}; recipients other than once: {e['recipients_not_once']}; "
                     f"without: {e['students_without']}")
    for key in ("reminders", "digests"):
        r = results[key]
        lines.append(
            f"- {key}: {r['messages_counted']:,} messages to {r['students']:,} students in {r['sent_seconds']} s of sending "
            f"({r['chunk_tasks']} chunk tasks); recipients other than once: {r['recipients_not_once']} "
            f"(raw deliveries other than once: {r.get('deliveries_not_once', 'n/a')}); without: {r['students_without']}; "
            f"Celery worker peak RSS {r['worker_peak_rss_mb']} MB"
        )
    lines.append(f"- gunicorn (master and 2 workers) peak RSS: {results['gunicorn_peak_rss_mb']} MB")
    markdown = results["markdown"]
    lines += [
        "",
        f"## Markdown renderer on hostile input ({len(markdown)} cases of {LONGEST:,} characters; CPU ms, best of three)",
        "",
        f"Slowest {markdown[0]['ms']} ms ({markdown[0]['case']}); median {statistics.median(row['ms'] for row in markdown)} ms. "
        f"Fifty such summaries written through the service (rendered on write): {results['hostile_summaries_write_s']} s.",
        "",
        "| case | ms | HTML KB |",
        "|---|---:|---:|",
        *(f"| {row['case']} | {row['ms']} | {row['html_kb']} |" for row in markdown[:10]),
    ]
    # Figures measured once and kept beside each run's: the reshape's before and after, the renderer
    # comparison, and the last fault run (make faults rewrites its own section).
    for kept in ("one_truth.md", "reshape.md", "markdown_choice.md", "faults.md"):
        if (folder / kept).exists():
            lines += ["", (folder / kept).read_text().rstrip()]
    (folder / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
