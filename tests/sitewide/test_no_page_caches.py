"""Pages a single person sees are rendered from the database on every request: no template keeps a fragment in a
cache, no request parameter names a cache entry, an edit shows at once, and sessions live in the database alone."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse

from lessons.models import Lesson
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CACHE_TAG = re.compile(r"{%\s*(cache\b|load\b[^%]*\bcache\b)")
NEW_LOG = reverse("progress:log_create")
DASHBOARD = reverse("progress:dashboard")


def _project_templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", *(path for path in base.glob("*/templates") if path.parent.name != ".venv")]
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]


def _cache_entries() -> dict[str, int]:
    """How many entries each cache holds: the whole Redis database behind it, or the process's memory."""
    sizes = {}
    for alias in settings.CACHES:
        cache = caches[alias]
        if hasattr(cache, "client"):  # django-redis: every key in its database, whatever its prefix
            sizes[alias] = cache.client.get_client(write=False).dbsize()
        else:
            sizes[alias] = len(cache._cache)  # LocMemCache: no public way to count
    return sizes


def test_no_template_in_the_project_uses_the_cache_tag():
    templates = _project_templates()
    assert len(templates) > 50  # the walk found the project's templates
    assert [str(path) for path in templates if CACHE_TAG.search(path.read_text(errors="replace"))] == []


def test_the_new_log_pages_suggestions_name_no_cache_entry(client, enrollment):
    client.force_login(enrollment.user)
    assert client.get(NEW_LOG).status_code == 200
    before = _cache_entries()
    opens = enrollment.cohort.opens_on
    for index in range(200):
        day = opens + dt.timedelta(days=index)
        assert client.get(NEW_LOG, {"day": day.isoformat(), "lesson": index % 10 + 1}).status_code == 200
    assert _cache_entries() == before


@pytest.mark.parametrize("url", [NEW_LOG, DASHBOARD])
def test_a_renamed_lesson_shows_its_new_title_at_once(student_client, url):
    lesson = Lesson.objects.get(number=1)
    assert lesson.title in student_client.get(url).content.decode()  # the page seen before the edit
    Lesson.objects.filter(pk=lesson.pk).update(title="Renamed while you read")
    page = student_client.get(url).content.decode()
    assert "Renamed while you read" in page and lesson.title not in page


def test_the_shared_cache_is_named_under_the_release_and_the_throttles_are_not():
    """A deploy never reads the entries the release before it stored; it does not reset anyone's throttle."""
    assert settings.RELEASE and settings.RELEASE in settings.CACHES["default"]["KEY_PREFIX"]
    assert "KEY_PREFIX" not in settings.CACHES["throttle"]


def test_sessions_live_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def _signed_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def _log_in(client, enrollment) -> str:
    assert client.post(reverse("accounts:login"), {"username": enrollment.user.email, "password": PASSWORD}).status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_emptying_every_cache_signs_nobody_out(client, enrollment):
    _log_in(client, enrollment)
    for alias in settings.CACHES:
        caches[alias].clear()
    assert _signed_in(client)


def test_a_session_deleted_from_the_database_is_gone_whatever_a_cache_held(client, enrollment):
    """As when the cache missed a log-out's delete (Redis down) and came back holding the session."""
    key = _log_in(client, enrollment)
    assert _signed_in(client)
    Session.objects.filter(session_key=key).delete()
    assert not _signed_in(client)


def test_a_logged_out_session_stays_out_after_the_cache_is_emptied(client, enrollment):
    from django.test import Client

    key = _log_in(client, enrollment)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = key  # the same session, held by another browser
    assert _signed_in(copy)
    client.post(reverse("accounts:logout"))
    for alias in settings.CACHES:
        caches[alias].clear()
    assert not _signed_in(copy) and not Session.objects.filter(session_key=key).exists()
