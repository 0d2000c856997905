"""The API's documentation page works under the site's Content-Security-Policy: Swagger UI from our own static
files (drf-spectacular-sidecar), its start-up script from its own address, nothing from a CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_documentation_loads_only_our_own_files(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses and all(address.startswith("/") for address in addresses), addresses
    assert not re.search(r"<script>\s*\S", html), "an inline script would break the Content-Security-Policy"
    for address in addresses:
        if address.startswith("/static/"):
            assert finders.find(address.removeprefix("/static/")), address
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()
