"""The timer costs pages at most one query (the header's), the same with 5 logs or 300."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.models import Lesson
from progress.models import StudyLog
from progress.services.rollups import rollups_refresh
from tests.factories import EnrollmentFactory
from timers.services import timer_start

from .zones import zone_where_it_is

pytestmark = pytest.mark.django_db

# (page, with a timer running, with none): the session, the user, the enrollment, the menu's "do they mentor", the
# running timer (the header's, shared by the page), then the page's own reads
PAGES = [
    ("timers:page", 5, 6),  # none running: and the lessons to start one on
    ("progress:dashboard", 15, 16),  # the dashboard's, and the timer card's lessons to start one on when none runs
    ("lessons:list", 6, 6),
    ("progress:log_create", 7, 7),
    ("progress:log_list", 7, 7),
]


def student(logs: int, *, running: bool):
    enrollment = EnrollmentFactory(time_zone=zone_where_it_is(12))
    lessons = list(Lesson.objects.order_by("number"))
    opens = enrollment.cohort.opens_on
    StudyLog.objects.bulk_create(
        StudyLog(
            enrollment=enrollment, day=opens + dt.timedelta(days=index // len(lessons)), lesson=lessons[index % len(lessons)],
            minutes=20,
        )
        for index in range(logs)
    )
    rollups_refresh(enrollment_ids=[enrollment.pk])
    if running:
        timer_start(enrollment=enrollment, lesson=lessons[1], now=timezone.now() - dt.timedelta(minutes=10))
    return enrollment


def queries(client, url: str, enrollment) -> int:
    client.force_login(enrollment.user)
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url_name", "running_ceiling", "idle_ceiling"), PAGES)
def test_timer_pages_run_the_same_queries_with_few_or_many_logs(client, url_name, running_ceiling, idle_ceiling):
    url = reverse(url_name)
    for running, ceiling in ((True, running_ceiling), (False, idle_ceiling)):
        few = queries(client, url, student(5, running=running))
        many = queries(client, url, student(300, running=running))
        assert few == many <= ceiling, (url_name, running, few, many)


@pytest.mark.parametrize("url_name", [
    "progress:dashboard", "lessons:list", "progress:log_create", "progress:log_list", "progress:profile", "progress:schedule",
    "progress:summary_list", "events:list", "groups:browse",
])
def test_the_header_adds_at_most_one_query_to_a_page(client, settings, url_name):
    enrollment = student(5, running=True)
    url = reverse(url_name)
    with_header = queries(client, url, enrollment)
    options = settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [{
        **settings.TEMPLATES[0],
        "OPTIONS": {**options, "context_processors": [p for p in options["context_processors"] if not p.startswith("timers.")]},
    }]
    without = queries(client, url, enrollment)
    assert with_header - without <= 1, (url_name, with_header, without)
