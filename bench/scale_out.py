"""Scale-out run: the production topology on loopback, and what it must survive.

Starts nginx (Debian's package) balancing two gunicorn instances on different ports, two Celery
workers and one beat, all on one PostgreSQL and one Redis, then:

1. walks a student journey through nginx, each request going to the other web server than the one
   before (checked from nginx's X-Upstream header): log in, dashboard, a study log and its message,
   a weekly summary and its message, a lesson marked done, log out; and fetches a static file that
   nginx serves itself;
2. runs a weekly digest for the whole bench cohort with both workers and counts every student's
   email (each exactly once; both workers took a share);
3. runs it again and SIGKILLs one worker (its whole process group) in the middle, restarts it, and
   counts again once the broker has handed the dead worker's tasks back and their claims ran out;
4. fails logins from several loopback addresses through nginx (PROXY_COUNT=1): each address is
   locked out apart, and an X-Forwarded-For a client forges, through nginx or straight to a web
   server, locks out nobody else.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL) and nginx; seeds the bench cohort if missing. Ports:
nginx SCALE_OUT_PORT (8800), gunicorn SCALE_OUT_WEB_PORT_1 and _2 (8801, 8802).

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/scale_out.py
"""

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scholarship.settings")
MAIL_KEY = "scale-out:mail"
os.environ["BENCH_MAIL_KEY"] = MAIL_KEY
# Short enough to watch a recovery in a minute; production keeps the defaults (1 h and 10 min).
VISIBILITY_TIMEOUT, CLAIM_LEASE = 30, 20

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
import redis  # noqa: E402

from bench import counting_mail  # noqa: E402
from bench.servers import Browser, csrf_token, wait_until_healthy  # noqa: E402
from bench.ports import port_from_env  # noqa: E402
from devdata.bench_data import BENCH_SLUG  # noqa: E402
from notifications import tasks as notifications_tasks  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.services.dispatch import notifications_dispatch  # noqa: E402
from progress.models import Cohort, Enrollment  # noqa: E402
from progress.selectors.enrollments import enrollment_today  # noqa: E402
from progress.selectors.reflection import summary_current_week  # noqa: E402
from progress.models import StudentRollup  # noqa: E402
from progress.services.rollups import rollups_rebuild  # noqa: E402

NGINX_PORT = port_from_env("SCALE_OUT_PORT", 8800)
WEB_PORTS = (port_from_env("SCALE_OUT_WEB_PORT_1", 8801), port_from_env("SCALE_OUT_WEB_PORT_2", 8802))
BASE = f"http://127.0.0.1:{NGINX_PORT}"
PASSWORD = "scale-out-password"
DIGEST = Notification.Kind.STUDENT_DIGEST

NGINX_CONF = """
worker_processes 1;  # one balancer process, so round-robin alternates strictly for the check
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    types {{ text/css css; application/javascript js; image/svg+xml svg; }}
    upstream scholarship {{
        server 127.0.0.1:{web_a};
        server 127.0.0.1:{web_b};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{
            alias {static_root}/;
            expires 30d;  # pages link hashed names (ManifestStaticFilesStorage), so a change is a new URL
        }}
        location / {{
            proxy_pass http://scholarship;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


class Stack:
    """The processes of the run, each in its own process group so one can be killed whole."""

    def __init__(self, folder: Path, env: dict):
        self.folder, self.env, self.procs = folder, env, {}

    def start(self, name: str, command: list[str], **extra_env) -> None:
        log = open(self.folder / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(command, cwd=ROOT, env={**self.env, **extra_env}, stdout=log, stderr=log,
                                            start_new_session=True)

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)


def worker_command(name: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "scholarship", "worker", "-n", f"{name}@%h", "--concurrency", "2",
            "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]


def journey(*, enrollment: Enrollment) -> list[str]:
    """A student's evening through nginx; returns what was checked."""
    browser, checked = Browser(BASE), []
    day = enrollment_today(enrollment=enrollment)
    week = summary_current_week(enrollment=enrollment)

    browser.log_in(enrollment.user.email, PASSWORD)
    _, page, _ = browser.request("/dashboard/")
    assert enrollment.user.get_short_name() in page, "dashboard after login does not greet the student"
    checked.append("logged in on one server, dashboard greeted them from the other")
    page = browser.follow(browser.form_post("/logs/new/", {"day": day.isoformat(), "lesson": 3, "minutes": "1h15", "notes": "scale-out"}))
    assert "1 h 15 min on" in page, "the study-log message did not survive the switch of server"
    checked.append("posted a study log; its message showed on the next page, served by the other server")
    text = f"Scale-out week {week}: nginx alternated."
    page = browser.follow(browser.form_post(f"/summaries/{week}/", {"body": text, "action": "save"}))
    assert f"Saved your week {week} summary" in page, "the summary message did not survive"
    assert "nginx alternated" in browser.request(f"/summaries/{week}/")[1], "the summary was not kept"
    checked.append("saved a weekly summary; message and text on the other server")
    _, lessons, _ = browser.request("/lessons/")
    slug = re.search(r'action="/lessons/([\w-]+)/done/">(?:(?!</form>).)*name="done" value="1"', lessons, re.S).group(1)
    token = csrf_token(lessons)
    page = browser.follow(browser.request(f"/lessons/{slug}/done/", {"csrfmiddlewaretoken": token, "done": "1"}))
    assert "marked done" in page, "the lesson message did not survive"
    checked.append("marked a lesson done from the list")
    _, page, _ = browser.request("/dashboard/")
    token = csrf_token(page)
    status, _, _ = browser.request("/accounts/logout/", {"csrfmiddlewaretoken": token})
    status, _, headers = browser.request("/dashboard/")
    assert status == 302 and "/accounts/login/" in headers["Location"], "still logged in after logging out"
    checked.append("logged out on one server; the other no longer knew the session")

    assert len(browser.upstreams) >= 16, browser.upstreams
    repeats = sum(1 for a, b in zip(browser.upstreams, browser.upstreams[1:]) if a == b)
    served = {u: browser.upstreams.count(u) for u in sorted(set(browser.upstreams))}
    assert repeats == 0 and len(served) == 2, f"requests did not alternate: {browser.upstreams}"
    checked.append(f"{len(browser.upstreams)} requests, strictly alternating: {served}")

    status, css, headers = browser.request("/static/css/site.css")
    assert status == 200 and "X-Upstream" not in headers and css, "static files should come from nginx"
    checked.append(f"/static/css/site.css served by nginx itself ({len(css):,} bytes, {headers.get('Cache-Control')})")
    return checked


def throttling(*, enrollment: Enrollment) -> list[str]:
    """Failed logins from distinct loopback addresses: locked out apart, whatever X-Forwarded-For says."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    email, checked = enrollment.user.email, []

    def fail_five(browser: Browser, tag: str) -> None:
        for n in range(5):
            browser.log_in(f"nobody-{tag}-{n}@example.org", "wrong", expect=200 if n < 4 else 429)

    fail_five(Browser(BASE, source="127.0.0.2"), "a")
    Browser(BASE, source="127.0.0.2").log_in(email, PASSWORD, expect=429)
    Browser(BASE, source="127.0.0.3").log_in(email, PASSWORD)
    checked.append("five failures from 127.0.0.2 lock 127.0.0.2 out; 127.0.0.3, behind the same nginx, logs in")
    fail_five(Browser(BASE, source="127.0.0.4", headers={"X-Forwarded-For": "127.0.0.3"}), "c")
    Browser(BASE, source="127.0.0.4").log_in(email, PASSWORD, expect=429)
    Browser(BASE, source="127.0.0.3").log_in(email, PASSWORD)
    checked.append("127.0.0.4 forging X-Forwarded-For: 127.0.0.3 through nginx locks only itself out")
    direct = f"http://127.0.0.1:{WEB_PORTS[0]}"
    fail_five(Browser(direct, source="127.0.0.5", headers={"X-Forwarded-For": "127.0.0.6"}), "d")
    Browser(direct, source="127.0.0.5").log_in(email, PASSWORD, expect=429)
    Browser(BASE, source="127.0.0.6").log_in(email, PASSWORD)
    checked.append("127.0.0.5 forging X-Forwarded-For: 127.0.0.6 straight to a web server locks only itself out")
    AccessAttempt.objects.all().delete()
    return checked


def digest_run(*, cohort: Cohort, store, stack: Stack | None = None, kill_after: float | None = None) -> dict:
    """Dispatch one weekly digest to every student on a beat clock; optionally SIGKILL worker1 mid-way."""
    counting_mail.reset(store, MAIL_KEY)
    Notification.objects.filter(cohort=cohort, kind=DIGEST).delete()
    students = Enrollment.objects.filter(cohort=cohort, wants_digests=True, user__is_active=True).count()
    today = dt.date.today()
    day = cohort.opens_on + dt.timedelta(days=7 * ((today - cohort.opens_on).days // 7))
    chunks = 0

    def enqueue(occasion, ids):
        nonlocal chunks
        if occasion.kind == DIGEST and occasion.cohort.pk == cohort.pk:
            notifications_tasks.notifications_send_chunk.delay(occasion.kind, cohort.pk, occasion.number, ids)
            chunks += 1

    started = time.perf_counter()
    killed_at = restarted_at = None
    worker1_sent_before = 0
    sent_when_killed = 0
    step = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    # The beat's 15-minute ticks across the day the course week begins, so each zone's 09:00 comes.
    while step < dt.datetime.combine(day + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC):
        before = chunks
        notifications_dispatch(now=step, send=enqueue)
        while chunks > before and Notification.objects.filter(cohort=cohort, kind=DIGEST, state="claimed").exists():
            if kill_after is not None and killed_at is None:
                sent_now = Notification.objects.filter(cohort=cohort, kind=DIGEST, state="sent").count()
                # Kill only while worker1 is sending, so the kill lands in the middle of its chunks.
                worker1_sent = counting_mail.by_worker(store, MAIL_KEY).get("worker1", 0)
                worker1_busy = worker1_sent > worker1_sent_before
                worker1_sent_before = worker1_sent
                if sent_now >= kill_after * students and worker1_busy:
                    sent_when_killed = sent_now
                    stack.kill("worker1")
                    killed_at = time.perf_counter() - started
                    stack.start("worker1", worker_command("worker1"), BENCH_WORKER_NAME="worker1 (restarted)")
                    restarted_at = time.perf_counter() - started
            if time.perf_counter() - started > 600:
                raise SystemExit("the digest did not finish within 10 minutes")
            time.sleep(0.1)
        step += dt.timedelta(minutes=15)
    elapsed = time.perf_counter() - started
    deliveries, inbox = counting_mail.counts(store, MAIL_KEY, kind=DIGEST)  # the real beat may send a reminder meanwhile
    sent = Notification.objects.filter(cohort=cohort, kind=DIGEST, state="sent")
    return {
        "students": students,
        "seconds": round(elapsed, 1),
        "chunk_tasks": chunks,
        "by_worker": counting_mail.by_worker(store, MAIL_KEY),
        "inbox_not_once": sum(1 for n in inbox.values() if n != 1),
        "students_without": students - len(inbox),
        "deliveries": sum(deliveries.values()),
        "deliveries_not_once": sum(1 for n in deliveries.values() if n != 1),
        "ledger_sent": sent.count(),
        "retried_rows": sent.filter(attempts__gt=1).count(),
        "killed_at_s": round(killed_at, 1) if killed_at else None,
        "sent_when_killed": sent_when_killed,
        "restarted_at_s": round(restarted_at, 1) if restarted_at else None,
    }


def journey_student(*, cohort: Cohort) -> Enrollment | None:
    """The steadiest student with a lesson other than the project left, so the lesson list offers one to mark done.

    The database outlives a run, and each run marks a lesson done (through the services, which keep the rollups);
    a database from before the rollups were kept on write has none yet, so the missing are computed first. None
    says every student is through (the caller seeds again).
    """
    rollups_rebuild(cohort_id=cohort.pk, missing_only=True)
    rollup = (StudentRollup.objects.filter(cohort=cohort, lessons_done__lt=9)
              .select_related("enrollment__user", "enrollment__cohort").order_by("-days_studied", "pk").first())
    return rollup.enrollment if rollup else None


def main() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("Run on PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        sys.exit("nginx is missing: apt-get install nginx-light (or run `make scale-out`, which installs it)")
    students = int(os.environ.get("STUDENTS", "10000"))
    existing = Cohort.objects.filter(slug=BENCH_SLUG, cutoff_at__gt=dt.datetime.now(dt.UTC)).first()
    enrollment = journey_student(cohort=existing) if existing is not None and existing.enrollments.count() == students else None
    if enrollment is None:  # a digest needs a running cohort, and the journey a student with a lesson to mark done
        subprocess.run([sys.executable, "manage.py", "seed_bench", "--students", str(students)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        enrollment = journey_student(cohort=Cohort.objects.get(slug=BENCH_SLUG))
    cohort = enrollment.cohort
    enrollment.user.set_password(PASSWORD)
    enrollment.user.save()

    folder = Path(tempfile.mkdtemp(prefix="scale-out-"))
    folder.chmod(0o755)  # nginx's workers drop root and must read the static files
    static_root = folder / "static"
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
           "STATIC_ROOT": str(static_root), "EMAIL_BACKEND": "bench.counting_mail.CountingBackend", "BENCH_MAIL_KEY": MAIL_KEY,
           "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "NOTIFICATION_CLAIM_LEASE_SECONDS": str(CLAIM_LEASE),
           "CELERY_RESTORE_THROTTLE": "1",
           # Phase 3 kills a worker at a random moment, possibly inside a sweep: its lock must not stop the other
           # workers' sweeps for kombu's default 5 minutes (seen: a task held back that long, its rows given up).
           "CELERY_RESTORE_MUTEX_EXPIRE": "10",
           # The digests are dispatched on a simulated clock over the course week's first day, up to a week back;
           # the real beat's catch-up must not give their rows up as "a day old" while they are being sent.
           "NOTIFICATION_EXPIRE_HOURS": str(24 * 30),
           # One proxy in front, connecting from 127.0.0.1: the clients below come from other loopback addresses.
           "PROXY_COUNT": "1", "PROXY_TRUSTED_NETWORKS": "127.0.0.1/32"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    (folder / "nginx.conf").write_text(NGINX_CONF.format(folder=folder, port=NGINX_PORT, web_a=WEB_PORTS[0], web_b=WEB_PORTS[1],
                                                         static_root=static_root))
    store = redis.Redis.from_url(os.environ["REDIS_URL"])
    store.delete("celery", "unacked", "unacked_index")  # tasks left by an earlier, interrupted run

    stack = Stack(folder, env)
    print(f"Scale-out run on {os.cpu_count()} cores; logs in {folder}")
    try:
        for n, port in enumerate(WEB_PORTS):
            stack.start(f"web{n + 1}", [sys.executable, "-m", "gunicorn", "scholarship.wsgi", "--workers", "2", "--bind",
                                        f"127.0.0.1:{port}", "--worker-tmp-dir", str(folder)])
        stack.start("nginx", [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")])
        stack.start("worker1", worker_command("worker1"), BENCH_WORKER_NAME="worker1")
        stack.start("worker2", worker_command("worker2"), BENCH_WORKER_NAME="worker2")
        stack.start("beat", [sys.executable, "-m", "celery", "-A", "scholarship", "beat", "--loglevel", "WARNING",
                             "--schedule", str(folder / "celerybeat-schedule")])
        for port in (*WEB_PORTS, NGINX_PORT):
            wait_until_healthy(f"http://127.0.0.1:{port}")
        time.sleep(3)  # the workers connect to Redis
        print("nginx :%d -> gunicorn :%d and :%d (2 workers each); worker1, worker2 (2 processes each); one beat" % (NGINX_PORT, *WEB_PORTS))

        print("\n1. Student journey through nginx")
        for line in journey(enrollment=enrollment):
            print(f"   ok: {line}")

        print("\n2. Weekly digest to the cohort with both workers")
        first = digest_run(cohort=cohort, store=store)
        report(first)
        assert first["inbox_not_once"] == 0 and first["students_without"] == 0 and first["deliveries_not_once"] == 0
        assert len(first["by_worker"]) == 2 and all(first["by_worker"].values()), "both workers should take a share"

        print(f"\n3. Again, with worker1 SIGKILLed mid-digest and restarted "
              f"(for this run: broker visibility timeout {VISIBILITY_TIMEOUT} s, swept every 10 s; claim lease {CLAIM_LEASE} s)")
        second = digest_run(cohort=cohort, store=store, stack=stack, kill_after=0.4)
        report(second)
        assert second["killed_at_s"] is not None, "the digest finished before the kill"
        assert second["retried_rows"] > 0, "the kill caught worker1 holding no claimed rows"
        assert second["inbox_not_once"] == 0 and second["students_without"] == 0

        print("\n4. Log-in throttling through nginx, one proxy in front (PROXY_COUNT=1)")
        for line in throttling(enrollment=enrollment):
            print(f"   ok: {line}")
    finally:
        stack.stop_all()
    print("\nScale-out run passed.")


def report(result: dict) -> None:
    if result["killed_at_s"] is not None:
        print(f"   killed worker1 at {result['killed_at_s']} s with {result['sent_when_killed']:,} sent; restarted at {result['restarted_at_s']} s")
    print(f"   {result['students']:,} students, {result['chunk_tasks']} chunk tasks, finished in {result['seconds']} s; emails by worker: {result['by_worker']}")
    print(f"   inbox: students with other than one email: {result['inbox_not_once']}; without: {result['students_without']}")
    print(f"   mail server: {result['deliveries']:,} deliveries; addresses delivered to more than once: {result['deliveries_not_once']} "
          f"(a re-send in the crash window carries the same Message-ID); ledger rows sent {result['ledger_sent']:,}, "
          f"sent after a retry {result['retried_rows']}")


if __name__ == "__main__":
    main()
