"""`make faults`: the product through PostgreSQL and Redis restarts, on servers of its own, measured.

Starts a PostgreSQL cluster and a Redis server of its own (temporary, on their own ports, so it touches
nothing else on the machine and runs in CI), then gunicorn, a Celery worker and beat against them, with a
cohort of STUDENTS (default 1,000) whose weekly digest is due now. A few students keep a light load going
(their dashboard, then a study log) while it:

1. restarts PostgreSQL;
2. stops Redis for 20 s;
3. restarts Redis during a digest (the broker loses its queued chunks);
4. restarts PostgreSQL during a digest.

For each it reports the errors students saw, how long errors lasted after the service came back, and for
the digests how long until every student had theirs, students without one and students with more than
one. At the end every accepted log post must be in the database. The table goes to bench/faults.md and
into bench/results.md. Leases and the catch-up beat are shortened for the run (below) so a recovery takes
seconds; production keeps 5 minutes each.

Ports: PostgreSQL FAULTS_PG_PORT (55432), Redis FAULTS_REDIS_PORT (56379), gunicorn FAULTS_WEB_PORT (8811).
"""

import datetime as dt
import email.parser
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.own_servers import OwnPostgres, OwnRedis, run_as_postgres  # noqa: E402
from bench.ports import port_from_env  # noqa: E402

PG_PORT = port_from_env("FAULTS_PG_PORT", 55432)
REDIS_PORT = port_from_env("FAULTS_REDIS_PORT", 56379)
WEB_PORT = port_from_env("FAULTS_WEB_PORT", 8811)
BASE = f"http://127.0.0.1:{WEB_PORT}"
PASSWORD = "fault-run-password"
DIGEST_BEAT = "reminders-and-digests-every-15-minutes"  # the beat entry whose task the digest phases send
RUN_SETTINGS = {  # for this run only: recoveries in seconds, not minutes
    "NOTIFICATION_DISPATCH_LEASE_SECONDS": "15", "NOTIFICATION_CLAIM_LEASE_SECONDS": "30", "NOTIFICATION_CATCH_UP_SECONDS": "5",
    "CELERY_VISIBILITY_TIMEOUT": "60",
}


def zone_in_the_morning() -> str:
    """A zone where it is between 09:00 and 10:59 now, so the digest is due for the whole run."""
    now = dt.datetime.now(dt.UTC)
    for name in sorted(zoneinfo.available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")) and 9 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour <= 10:
            return name
    raise SystemExit("no zone is in its morning now")  # pragma: no cover - the offsets span 26 hours


@dataclass
class Load:
    """A few students, each: dashboard, then a study log for a day and lesson of their own, round after round.

    Each round posts every slot again with one minute more, so the database must hold, for every slot,
    at least the minutes of the last post the server accepted.
    """

    students: list
    errors: list[tuple[float, str]] = field(default_factory=list)
    accepted: dict[tuple[int, dt.date, int], int] = field(default_factory=dict)
    posts_accepted: int = 0
    requests: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        from bench.servers import Browser

        threads = [threading.Thread(target=self._student, args=(Browser, enrollment), daemon=True) for enrollment in self.students]
        for thread in threads:
            thread.start()
        self.threads = threads

    def _student(self, browser_class, enrollment) -> None:
        from bench.servers import csrf_token

        slots = [(enrollment.cohort.opens_on + dt.timedelta(days=d), lesson) for d in range(8) for lesson in range(1, 10)]
        random.Random(enrollment.pk).shuffle(slots)
        browser, attempt = None, 0
        while not self.stop.is_set():
            try:
                if browser is None:
                    browser = browser_class(BASE)
                    browser.log_in(enrollment.user.email, PASSWORD)
                status, _, _ = browser.request("/dashboard/")
                self._count(status, "dashboard")
                day, lesson = slots[attempt % len(slots)]
                minutes = 10 + attempt // len(slots)
                status, form, _ = browser.request("/logs/new/")
                self._count(status, "log form")
                if status != 200:
                    time.sleep(0.5)
                    continue
                data = {"csrfmiddlewaretoken": csrf_token(form), "day": day.isoformat(), "lesson": lesson, "minutes": f"{minutes}m"}
                status, page, headers = browser.request("/logs/new/", data)
                self._count(status, "log post")
                if status == 302 and headers.get("Location", "").endswith("/logs/"):
                    self.accepted[(enrollment.pk, day, lesson)] = minutes
                    self.posts_accepted += 1
                    attempt += 1
            except Exception as exc:  # noqa: BLE001 - a refused connection or a page without its form is what a user sees
                self.errors.append((time.monotonic(), f"{type(exc).__name__}"))
                browser = None  # log in again
            time.sleep(0.5)

    def _count(self, status: int, what: str) -> None:
        self.requests += 1
        if status >= 500:
            self.errors.append((time.monotonic(), f"{what} {status}"))


def mail_counts(folder: Path) -> Counter:
    """Emails in the mail folder per recipient, counted once per Message-ID (the inbox view)."""
    seen, per_recipient = set(), Counter()
    parser = email.parser.BytesHeaderParser()
    for path in folder.glob("*.eml"):
        headers = parser.parse(path.open("rb"))
        key = (headers["To"], headers["Message-ID"])
        if key not in seen:
            seen.add(key)
            per_recipient[headers["To"]] += 1
    return per_recipient


def main() -> None:
    students = int(os.environ.get("STUDENTS", "1000"))
    folder = Path(tempfile.mkdtemp(prefix="faults-"))
    folder.chmod(0o755)
    postgres, redis_server = OwnPostgres(folder, port=PG_PORT), OwnRedis(folder, port=REDIS_PORT)
    mail = folder / "mail"
    mail.mkdir()
    env = {
        **os.environ, **RUN_SETTINGS, "DJANGO_SETTINGS_MODULE": "scholarship.settings", "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/faults", "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING", "EMAIL_URL": "",
        "EMAIL_BACKEND": "common.mail.OneFilePerMessageBackend", "EMAIL_FILE_PATH": str(mail), "VAR_DIR": str(folder / "var"),
        "CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    procs: dict[str, subprocess.Popen] = {}
    started = time.monotonic()
    try:
        postgres.start()
        run_as_postgres([str(postgres.bin / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "faults"])
        redis_server.start()
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

        import django

        django.setup()
        from django.db import connection

        from notifications.models import Notification

        zone = zone_in_the_morning()
        cohort, load_students = seed(students=students, zone=zone)
        print(f"Fault run: {students:,} students in {zone} (their digest is due now); PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}, "
              f"both the run's own; logs in {folder}")

        def start(name: str, command: list[str]) -> None:
            log = open(folder / f"{name}.log", "ab")
            procs[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)

        start("web", [sys.executable, "-m", "gunicorn", "scholarship.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{WEB_PORT}",
                      "--worker-tmp-dir", str(folder)])
        start("worker", [sys.executable, "-m", "celery", "-A", "scholarship", "worker", "--concurrency", "2", "--loglevel", "WARNING",
                         "--without-gossip", "--without-mingle"])
        start("beat", [sys.executable, "-m", "celery", "-A", "scholarship", "beat", "--loglevel", "WARNING",
                       "--schedule", str(folder / "celerybeat-schedule")])
        from bench.servers import wait_until_healthy

        wait_until_healthy(BASE, seconds=60)
        time.sleep(3)  # the worker connects

        load = Load(students=load_students)
        load.run()
        load_started = time.monotonic()
        time.sleep(5)
        rows = []

        def phase(name: str, fault, digest: bool = False) -> None:
            connection.close()
            before = len(load.errors)
            if digest:
                Notification.objects.filter(cohort=cohort).delete()
                for path in mail.glob("*.eml"):
                    path.unlink()
                from scholarship.celery import app

                # What the 15-minute beat sends, by the schedule's own name for it (the task moved apps in the reshape,
                # and a hard-coded old name was an unregistered task: the digest then waited for the next quarter hour).
                app.send_task(app.conf.beat_schedule[DIGEST_BEAT]["task"])
                dispatched_at = time.monotonic()
                while Notification.objects.filter(cohort=cohort).count() < students and time.monotonic() - dispatched_at < 60:
                    time.sleep(0.05)
                connection.close()
            sent_before = Notification.objects.filter(cohort=cohort, state="sent").count() if digest else None
            fault_at = time.monotonic()
            back_at = fault()
            connection.close()
            all_sent_s = without = more = None
            if digest:
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline:
                    try:
                        if Notification.objects.filter(cohort=cohort, state="sent").count() >= students:
                            break
                    except Exception:  # noqa: BLE001 - the database may still be coming back
                        connection.close()
                    time.sleep(0.5)
                all_sent_s = round(time.monotonic() - back_at, 1)
                time.sleep(2)
                counts = mail_counts(mail)
                without = students - len(counts)
                more = sum(1 for n in counts.values() if n > 1)
            else:
                time.sleep(8)
            errors = load.errors[before:]
            last_error = max((at for at, _ in errors), default=None)
            rows.append({
                "fault": name, "errors": len(errors), "kinds": sorted(Counter(kind for _, kind in errors).items()),
                "fault_s": round(back_at - fault_at, 1),
                "errors_after_back_s": round(max(last_error - back_at, 0.0), 1) if last_error else 0.0,
                "all_sent_after_back_s": all_sent_s, "without": without, "more_than_one": more, "sent_before": sent_before,
            })
            row = rows[-1]
            print(f"  {name}: {row['errors']} errors seen {dict(row['kinds'])}; service back after {row['fault_s']} s, errors "
                  f"{row['errors_after_back_s']} s after that" + (f"; {sent_before} of {students} sent at the fault; every digest "
                                                                  f"sent {all_sent_s} s after; without {without}, more than one {more}" if digest else ""), flush=True)

        def restart_postgres() -> float:
            postgres.restart()
            return time.monotonic()

        def stop_redis_20s() -> float:
            redis_server.stop()
            time.sleep(20)
            redis_server.start()
            return time.monotonic()

        def restart_redis() -> float:
            redis_server.restart()
            return time.monotonic()

        phase("1. PostgreSQL restarted", restart_postgres)
        phase("2. Redis stopped for 20 s", stop_redis_20s)
        phase("3. Redis restarted during a digest", restart_redis, digest=True)
        phase("4. PostgreSQL restarted during a digest", restart_postgres, digest=True)

        load.stop.set()
        for thread in load.threads:
            thread.join(timeout=30)
        from progress.models import StudyLog

        connection.close()
        stored = {
            (enrollment_id, day, lesson): minutes
            for enrollment_id, day, lesson, minutes in StudyLog.objects.filter(enrollment__in=load_students).values_list(
                "enrollment_id", "day", "lesson_id", "minutes"
            )
        }
        missing = [slot for slot, minutes in load.accepted.items() if stored.get(slot, 0) < minutes]
        print(f"  accepted log posts: {load.posts_accepted}; missing from the database: {len(missing)}; requests {load.requests:,}")
        elapsed = round(time.monotonic() - started)
        write(rows, students=students, accepted=load.posts_accepted, missing=len(missing), requests=load.requests, seconds=elapsed,
              load_seconds=round(time.monotonic() - load_started))
        failures = [r["fault"] for r in rows if r["without"] or r["more_than_one"]]
        if missing or failures:
            raise SystemExit(f"Fault run failed: {len(missing)} accepted posts missing; digests wrong in {failures}")
        print(f"Fault run passed in {elapsed} s.")
    finally:
        for proc in procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        redis_server.stop()
        try:
            postgres.stop()
        except subprocess.CalledProcessError:
            pass


def seed(*, students: int, zone: str):
    """A cohort in `zone` whose second week begins today there, STUDENTS students, and ten who log in."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from common.timezones import local_today
    from progress.models import Cohort, Enrollment
    from progress.services.rollups import rollups_rebuild

    today = local_today(time_zone=zone)
    cohort = Cohort.objects.create(
        name="Fault run", slug="faults", opens_on=today - dt.timedelta(days=7), time_zone=zone,
        cutoff_at=Cohort.cutoff_from_local(day=today + dt.timedelta(days=54), time_zone=zone),
    )
    user_model = get_user_model()
    password = make_password(PASSWORD)
    user_model.objects.bulk_create(
        [user_model(email=f"fault{n:05d}@example.org", full_name=f"Fault Student {n}", password=password) for n in range(students)],
        batch_size=1000,
    )
    users = user_model.objects.filter(email__startswith="fault").order_by("pk")
    Enrollment.objects.bulk_create([Enrollment(user=user, cohort=cohort, time_zone=zone) for user in users], batch_size=1000)
    rollups_rebuild(cohort_id=cohort.pk)
    return cohort, list(Enrollment.objects.filter(cohort=cohort).select_related("user", "cohort").order_by("pk")[:10])


def write(rows: list[dict], *, students: int, accepted: int, missing: int, requests: int, seconds: int, load_seconds: int) -> None:
    lines = [
        f"## Fault run ({dt.date.today().isoformat()}, `make faults`, {students:,} students, {os.cpu_count()} cores, {seconds} s)",
        "",
        f"Ten students load dashboards, log forms and log posts throughout ({requests / max(load_seconds, 1):.0f} requests a second). "
        "For this run the leases are "
        "15 s (dispatch) and 30 s (claim) and the catch-up beat runs every 5 s; production keeps 5 minutes each, so there "
        "a lost chunk goes out within ten minutes of the loss, or five of the services returning.",
        "",
        "| fault | errors students saw | service back after s | errors lasted after s | digests sent at the fault | every digest sent after s | students without a digest | with more than one |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        kinds = ", ".join(f"{n} {kind}" for kind, n in row["kinds"]) or "none"
        lines.append(
            f"| {row['fault']} | {row['errors']} ({kinds}) | {row['fault_s']} | {row['errors_after_back_s']} | "
            f"{row['sent_before'] if row['sent_before'] is not None else '–'} | "
            f"{row['all_sent_after_back_s'] if row['all_sent_after_back_s'] is not None else '–'} | "
            f"{row['without'] if row['without'] is not None else '–'} | {row['more_than_one'] if row['more_than_one'] is not None else '–'} |"
        )
    lines += ["", f"Accepted log posts: {accepted:,} (each slot posted again every round with a minute more); slots whose "
              f"latest accepted post is not in the database: {missing}. Requests in all: {requests:,}."]
    folder = Path(__file__).resolve().parent
    (folder / "faults.md").write_text("\n".join(lines) + "\n")
    results = folder / "results.md"
    if results.exists():
        text = results.read_text()
        start = text.find("## Fault run")
        if start != -1:
            end = text.find("\n## ", start + 1)
            text = text[:start] + ("\n".join(lines) + "\n" + (text[end + 1:] if end != -1 else ""))
        else:
            text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
        results.write_text(text)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
