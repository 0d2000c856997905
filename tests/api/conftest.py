"""A student with tokens, and a client that sends one as `Authorization: Bearer`."""

import pytest
from django.test import Client

from api.services.tokens import access_token_create


def token_for(user, *, scope: str = "write", name: str = "test") -> str:
    """A new token's secret, made as the profile's form makes it."""
    return access_token_create(user=user, name=name, scope=scope)[1]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


class TokenClient(Client):
    """Django's test client with a token on every request; JSON bodies by default."""

    def __init__(self, secret: str):
        super().__init__(headers=bearer(secret))

    def post(self, path, data=None, content_type="application/json", **extra):
        return super().post(path, data, content_type=content_type, **extra)

    def patch(self, path, data=None, content_type="application/json", **extra):
        return super().patch(path, data, content_type=content_type, **extra)


@pytest.fixture
def api(enrollment) -> TokenClient:
    """The `enrollment` student's client with a read-and-write token."""
    return TokenClient(token_for(enrollment.user))


@pytest.fixture
def read_api(enrollment) -> TokenClient:
    return TokenClient(token_for(enrollment.user, scope="read", name="read only"))
