"""Shared fixtures. Services come from DATABASE_URL and REDIS_URL, as for the site itself.

With REQUIRE_SERVICES=1 (CI) a missing or silent PostgreSQL or Redis stops the
run as a failure before any test: the real stack is never quietly skipped.
"""

import io
import logging
import os
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from scholarship.celery import app as celery_app


def _require_services() -> None:
    problems = []
    engine = django_settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        problems.append(f"DATABASE_URL must point at PostgreSQL (the tests would use {engine})")
    else:
        import psycopg2

        db = django_settings.DATABASES["default"]
        try:
            psycopg2.connect(
                dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432,
                connect_timeout=5,
            ).close()
        except psycopg2.Error as exc:
            problems.append(f"PostgreSQL does not answer: {exc}".strip())
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at {urlparse(redis_url).netloc} does not answer: {exc}")
    if problems:
        pytest.exit("REQUIRE_SERVICES=1 but: " + "; ".join(problems), returncode=3)


if os.environ.get("REQUIRE_SERVICES") == "1":
    _require_services()

if not os.environ.get("REDIS_URL"):
    # Without Redis the tests use kombu's in-process transport, never the
    # developer's var/ folder that a running `make run` worker reads.
    celery_app.conf.broker_url = "memory://"
    celery_app.conf.broker_transport_options = {"polling_interval": 0.05}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    # A file, not SQLite's shared in-memory database: concurrent-transaction
    # tests need real locking, which shared-cache memory databases lack.
    db = django_settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    from django.core.cache import caches

    for alias in caches:  # cached cohort charts and throttle counters must not leak between tests
        caches[alias].clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SITE_URL = "http://127.0.0.1:8000"  # never the address a developer's `make run` left in var/site_url
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cohort(db):
    from tests.factories import CohortFactory

    return CohortFactory()


@pytest.fixture
def enrollment(cohort):
    from tests.factories import EnrollmentFactory

    return EnrollmentFactory(cohort=cohort)


@pytest.fixture
def student_client(client, enrollment):
    client.force_login(enrollment.user)
    return client


@pytest.fixture
def lessons(db):
    from lessons.models import Lesson

    return list(Lesson.objects.order_by("number"))



@pytest.fixture(autouse=True)
def _programme_lessons_present(request):
    """Transactional tests end with a flush; put back the ten lessons the data migration loads if it took them."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("_django_db_helper")
    import importlib

    from django.apps import apps

    from lessons.models import Lesson

    if not Lesson.objects.exists():
        importlib.import_module("lessons.migrations.0002_load_programme_lessons").load_lessons(apps, None)


@pytest.fixture
def log_output():
    """What Django's console log handler writes during the test."""
    handler = next(h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
