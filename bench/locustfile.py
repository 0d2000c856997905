"""The evening before the cut-off: students log in, look at their dashboard, post logs and summaries;
staff browse the cohort. Used by bench/load.py (loopback only, bounded in users and time)."""

import json
import os
import random
import re
from itertools import count

from locust import HttpUser, between, events, task

CREDENTIALS = json.loads(open(os.environ["LOAD_CREDENTIALS"]).read())
POSTS_FILE = os.environ["LOAD_POSTS"]
_next_student = count()
_next_staff = count()
_posts: list[list] = []


@events.quitting.add_listener
def _save_posts(environment, **kwargs):
    with open(POSTS_FILE, "w") as out:
        json.dump(_posts, out)


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class _LoggedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def log_in(self, email: str, password: str) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        self.client.post("/accounts/login/", {"csrfmiddlewaretoken": _csrf(page.text), "username": email, "password": password},
                         name="login", allow_redirects=False)


class Student(_LoggedIn):
    weight = 40

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
        response = self.client.post("/logs/new/", {"csrfmiddlewaretoken": _csrf(page.text), "day": day, "lesson": lesson,
                                                   "minutes": "20m", "notes": "evening push"},
                                    name="log POST", allow_redirects=False)
        if response.status_code == 302:
            _posts.append([self.me["enrollment"], day, lesson])

    @task(1)
    def post_summary(self):
        url = f"/summaries/{self.me['week']}/"
        page = self.client.get(url, name="summary form")
        self.client.post(url, {"csrfmiddlewaretoken": _csrf(page.text), "body": "Nearly there: " + str(random.random()),
                               "action": "save"}, name="summary POST", allow_redirects=False)


class Staff(_LoggedIn):
    weight = 1
    fixed_count = 5

    def on_start(self):
        self.log_in(CREDENTIALS["staff"][next(_next_staff) % len(CREDENTIALS["staff"])], CREDENTIALS["password"])

    @task
    def cohort(self):
        self.client.get(f"/cohort/?cohort={CREDENTIALS['cohort']}", name="cohort dashboard")
        self.client.get(f"/cohort/?cohort={CREDENTIALS['cohort']}&show=at_risk&sort=-last_active", name="cohort at risk")
