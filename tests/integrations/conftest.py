import pytest

from tests.integrations.slack import SECRET


@pytest.fixture(autouse=True)
def _signing_secret(settings):
    settings.SLACK_SIGNING_SECRET = SECRET
