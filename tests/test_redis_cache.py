"""scholarship.cache: Django's Redis cache with one shared client; it must behave as Django's own."""

import os
import uuid

import pytest

from scholarship.cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it, with REQUIRE_SERVICES=1)")


@pytest.fixture
def two_servers():
    """Two web servers' caches on the same Redis, under a prefix of this test's own."""
    params = {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    first, second = RedisCache(os.environ["REDIS_URL"], params), RedisCache(os.environ["REDIS_URL"], params)
    yield first, second
    first.clear()


def test_what_one_server_writes_the_other_reads_and_deletes(two_servers):
    first, second = two_servers
    first.set("dashboard:1", "<p>drawn</p>", 60)
    assert second.get("dashboard:1") == "<p>drawn</p>"
    assert first.add("dashboard:1", "other", 60) is False
    assert second.add("count", 1, 60) is True
    assert second.incr("count") == 2
    assert first.get("count") == 2
    second.delete("dashboard:1")
    assert first.get("dashboard:1", "gone") == "gone"
    first.set_many({"a": 1, "b": [1, 2]}, 60)
    assert second.get_many(["a", "b", "c"]) == {"a": 1, "b": [1, 2]}


def test_one_client_serves_every_call(two_servers):
    first, _ = two_servers
    first.get("anything")
    assert first._cache.get_client() is first._cache.get_client(write=True)
