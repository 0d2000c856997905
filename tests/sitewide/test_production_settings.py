import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    ignored = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k9#Qv2!xR7mZp4@Lw8sT1nB6yH3cJ5dF0gA-uE_oI+rK=eW%tY^",
    "ALLOWED_HOSTS": "scholarship.example.org",
}


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("missing", ["ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_allowed_hosts(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", **env)
    assert result.returncode != 0 and missing in result.stderr


def test_development_defaults_are_not_production_safe_and_say_so():
    result = manage("check", "--deploy")
    assert "security.W" in result.stderr or "security.W" in result.stdout


@pytest.mark.django_db
def test_pages_forbid_inline_script_and_send_the_usual_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_sources = next(part for part in policy.split("; ") if part.startswith("script-src")).split()[1:]
    assert script_sources == ["'self'"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_an_inline_script():
    import re

    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", template.read_text()):
            assert "src=" in match["attrs"], f"inline <script> in {template}"


@pytest.mark.django_db
def test_error_pages_are_ours_and_leak_nothing(client, settings):
    settings.DEBUG = False
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "Page not found" in body and "urlpatterns" not in body and "Traceback" not in body

    settings.ROOT_URLCONF = "tests.broken_urls"
    from django.test import Client

    failing = Client(raise_request_exception=False).get("/")
    assert failing.status_code == 500
    text = failing.content.decode()
    assert "Something went wrong on our side" in text and "secret internals" not in text and "Traceback" not in text
