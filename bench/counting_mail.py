"""A mail backend for benchmarks: counts each message per recipient in Redis and sends nothing."""

import os

import redis
from django.core.mail.backends.base import BaseEmailBackend

KEY = os.environ.get("BENCH_MAIL_KEY", "bench:mail")


class CountingBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redis = redis.Redis.from_url(os.environ["REDIS_URL"])

    def send_messages(self, email_messages) -> int:
        pipe = self.redis.pipeline()
        for message in email_messages:
            for address in message.to:
                pipe.hincrby(KEY, address, 1)
        pipe.execute()
        return len(email_messages)
