"""The evening before the cut-off: students log in, look at their dashboard, post logs and summaries;
staff browse the cohort. Used by bench/load.py (loopback only, bounded in users and time).

Two phases: everyone logs in (each login costs a deliberately slow password hash, so logins are
spread) and waits; once the last user is in, the statistics start afresh and everyone starts, each
at a random moment within their first pacing interval, for a steady evening of LOAD_SECONDS.
The login phase's numbers are saved apart. (Students signed in days ago: logging 205 people in
while the others already run would start the evening with the logins' backlog.) A login follows its
redirect as a browser does, to the dashboard or the cohort page, as a real evening's users would have.

LOAD_RATE (requests a second, all users together) paces each user so that together they offer that
rate: the question is then whether the server answers it in time. LOAD_RATE=0 lets every user go
as fast as the server answers, with 0.5-1.5 s between tasks: that run measures the server's capacity.
"""

import json
import os
import random
import time
from itertools import count

import gevent
from gevent.event import Event
from locust import events, task
from locust.contrib.fasthttp import FastHttpUser

from bench.servers import csrf_token

CREDENTIALS = json.loads(open(os.environ["LOAD_CREDENTIALS"]).read())
POSTS_FILE = os.environ["LOAD_POSTS"]
LOGINS_FILE = os.environ["LOAD_LOGINS"]
STEADY_SECONDS = int(os.environ.get("LOAD_SECONDS", "100"))
USERS = len(CREDENTIALS["students"]) + len(CREDENTIALS["staff"])
RATE = float(os.environ.get("LOAD_RATE", "0"))
STUDENT_REQUESTS_PER_TASK = (5 * 1 + 3 * 2 + 1 * 2) / (5 + 3 + 1)  # the task weights below; a post fetches its form first
STAFF_REQUESTS_PER_TASK = 2


def _task_interval(requests_per_task: float) -> float:
    return USERS * requests_per_task / RATE if RATE else 1.0


_next_student = count()
_next_staff = count()
_logged_in = count(1)
_posts: list[list] = []
_cpu_at_steady_start: dict = {}
_evening_starts = Event()


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
        for child in open(f"/proc/{pid}/task/{pid}/children").read().split():
            total += _cpu_seconds(int(child))
    except FileNotFoundError:
        pass
    return total


def _cpu_snapshot() -> dict:
    """Where the machine's CPU went: the web server, this load generator, everything (PostgreSQL, Redis...)."""
    busy = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    return {"server": _cpu_seconds(int(os.environ["LOAD_SERVER_PID"])), "locust": _cpu_seconds(os.getpid()),
            "machine_busy": (sum(busy) - busy[3] - busy[4]) / os.sysconf("SC_CLK_TCK")}


@events.quitting.add_listener
def _save_posts(environment, **kwargs):
    with open(POSTS_FILE, "w") as out:
        json.dump(_posts, out)
    if _cpu_at_steady_start:
        end = _cpu_snapshot()
        with open(os.environ["LOAD_CPU"], "w") as out:
            json.dump({key: round(end[key] - _cpu_at_steady_start[key], 1) for key in end}, out)


def _everyone_logged_in(environment) -> None:
    stats = environment.stats
    login = stats.get("login", "POST")
    with open(LOGINS_FILE, "w") as out:
        json.dump({"logins": login.num_requests, "failures": login.num_failures, "median_ms": login.median_response_time,
                   "p95_ms": login.get_response_time_percentile(0.95), "seconds": round(stats.total.last_request_timestamp - stats.total.start_time, 1)}, out)
    stats.reset_all()
    _cpu_at_steady_start.update(_cpu_snapshot())
    _evening_starts.set()
    gevent.spawn_later(STEADY_SECONDS, environment.runner.quit)


class _LoggedIn(FastHttpUser):
    abstract = True
    requests_per_task = 1.0

    def wait_time(self) -> float:
        """Paced: each task starts one interval after the last one started, at once if that is past (locust's
        constant_pacing). Its clock starts with the evening: locust's own starts when the user is spawned, so
        after a login phase of 100 s every user's first wait was nothing and the evening began at twice the rate."""
        if not RATE:
            return random.uniform(0.5, 1.5)
        now = time.perf_counter()
        wait = max(0.0, self._task_started + _task_interval(self.requests_per_task) - now)
        self._task_started = now + wait
        return wait

    def log_in(self, email: str, password: str) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        with self.client.post("/accounts/login/", data={"csrfmiddlewaretoken": csrf_token(page.text), "username": email, "password": password},
                              name="login", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        # Where a browser lands after logging in: home, then the student's dashboard or the staff's cohort page.
        self.client.get(response.headers.get("Location", "/"), name="after login")
        if next(_logged_in) == USERS:
            _everyone_logged_in(self.environment)
        _evening_starts.wait()
        gevent.sleep(random.uniform(0, _task_interval(self.requests_per_task)))
        self._task_started = time.perf_counter()


class Student(_LoggedIn):
    weight = 40
    requests_per_task = STUDENT_REQUESTS_PER_TASK

    def on_start(self):
        me = CREDENTIALS["students"][next(_next_student) % len(CREDENTIALS["students"])]
        self.me = me
        self.log_in(me["email"], CREDENTIALS["password"])
        self.lesson_cycle = count()

    @task(5)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(3)
    def post_log(self):
        page = self.client.get("/logs/new/", name="log form")
        lesson = 1 + next(self.lesson_cycle) % 10
        day = self.me["days"][lesson % len(self.me["days"])]
        with self.client.post("/logs/new/", data={"csrfmiddlewaretoken": csrf_token(page.text), "day": day, "lesson": lesson,
                                                  "minutes": "20m", "notes": "evening push"},
                              name="log POST", allow_redirects=False, catch_response=True) as response:
            if response.status_code == 302:
                _posts.append([self.me["enrollment"], day, lesson])
            else:
                response.failure(f"log POST answered {response.status_code}")

    @task(1)
    def post_summary(self):
        url = f"/summaries/{self.me['week']}/"
        page = self.client.get(url, name="summary form")
        with self.client.post(url, data={"csrfmiddlewaretoken": csrf_token(page.text), "body": "Nearly there: " + str(random.random()),
                                         "action": "save"}, name="summary POST", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"summary POST answered {response.status_code}")


class Staff(_LoggedIn):
    weight = 1
    fixed_count = len(CREDENTIALS["staff"])
    requests_per_task = STAFF_REQUESTS_PER_TASK

    def on_start(self):
        self.log_in(CREDENTIALS["staff"][next(_next_staff) % len(CREDENTIALS["staff"])], CREDENTIALS["password"])

    @task
    def cohort(self):
        self.client.get(f"/cohort/?cohort={CREDENTIALS['cohort']}", name="cohort dashboard")
        self.client.get(f"/cohort/?cohort={CREDENTIALS['cohort']}&show=at_risk&sort=-last_active", name="cohort at risk")
