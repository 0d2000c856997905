"""A mail backend for benchmarks: counts each message per recipient in Redis and sends nothing.

It keeps two counts, as a mail provider and an inbox would: every delivery per address (raw), and
the distinct Message-IDs per address (what the recipient's mail client shows).
"""

import os

import redis
from django.core.mail.backends.base import BaseEmailBackend

KEY = os.environ.get("BENCH_MAIL_KEY", "bench:mail")
# Set per worker by the scale-out run, to show that every worker took a share.
WORKER = os.environ.get("BENCH_WORKER_NAME", "")


def inbox_key(key: str) -> str:
    return f"{key}:inbox"


class CountingBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redis = redis.Redis.from_url(os.environ["REDIS_URL"])

    def send_messages(self, email_messages) -> int:
        pipe = self.redis.pipeline()
        for message in email_messages:
            message_id = message.extra_headers.get("Message-ID") or message.message()["Message-ID"]
            for address in message.to:
                pipe.hincrby(KEY, f"{address} {_kind(message_id)}", 1)
                pipe.sadd(inbox_key(KEY), f"{address} {message_id}")
            if WORKER:
                pipe.hincrby(f"{KEY}:by-worker", WORKER, 1)
        pipe.execute()
        return len(email_messages)


def _kind(message_id: str) -> str:
    """The kind of email in a ledger row's Message-ID, <occasion.kind.c1.u2@domain> (notifications' sending); '' for others."""
    parts = message_id.strip("<>").partition("@")[0].split(".")
    return parts[1] if len(parts) == 4 else ""


def counts(store: redis.Redis, key: str = KEY, kind: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """(deliveries per address, distinct Message-IDs per address), of one kind of email if given: a real beat
    running beside a run may send other kinds (a deadline reminder due meanwhile), which are not the run's."""
    deliveries: dict[str, int] = {}
    for field, value in store.hgetall(key).items():
        address, _, its_kind = field.decode().partition(" ")
        if kind is None or its_kind == kind:
            deliveries[address] = deliveries.get(address, 0) + int(value)
    inbox: dict[str, int] = {}
    for member in store.sscan_iter(inbox_key(key), count=5000):
        address, _, message_id = member.decode().partition(" ")
        if kind is None or _kind(message_id) == kind:
            inbox[address] = inbox.get(address, 0) + 1
    return deliveries, inbox


def by_worker(store: redis.Redis, key: str = KEY) -> dict[str, int]:
    return {k.decode(): int(v) for k, v in store.hgetall(f"{key}:by-worker").items()}


def reset(store: redis.Redis, key: str = KEY) -> None:
    store.delete(key, inbox_key(key), f"{key}:by-worker")
