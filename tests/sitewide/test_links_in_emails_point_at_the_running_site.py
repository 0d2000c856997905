"""Links in emails sent by a command started outside `make run` (send_weekly_digests, import_students, a worker in
another terminal) point at the site make serves, not at :8000: `make run` and `make web` write the address they
serve on to VAR_DIR/site_url, the settings read it when SITE_URL is not set, and each command says which address
its links use and where it came from."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def site_url(tmp_path: Path, **env: str) -> str:
    clean = {key: value for key, value in os.environ.items()
             if key not in ("SITE_URL", "HOST", "PORT", "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS")}
    clean.update(DJANGO_SETTINGS_MODULE="scholarship.settings", VAR_DIR=str(tmp_path / "var"), **env)
    printed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    return printed.stdout.strip()


def served_on(tmp_path: Path, text: str) -> None:
    (tmp_path / "var").mkdir(exist_ok=True)
    (tmp_path / "var" / "site_url").write_text(text)


def test_a_command_in_another_terminal_links_to_where_make_run_serves(tmp_path):
    served_on(tmp_path, "http://127.0.0.1:8101\n")  # what `make run PORT=8101` writes
    assert site_url(tmp_path) == "http://127.0.0.1:8101"


def test_without_a_running_site_links_point_at_host_and_port(tmp_path):
    assert site_url(tmp_path) == "http://127.0.0.1:8000"


def test_site_url_set_in_the_environment_wins(tmp_path):
    served_on(tmp_path, "http://127.0.0.1:8101\n")
    assert site_url(tmp_path, SITE_URL="https://tracker.example.org/") == "https://tracker.example.org"


def test_a_file_that_is_not_an_address_is_ignored(tmp_path):
    served_on(tmp_path, "rm -rf /\n")
    assert site_url(tmp_path) == "http://127.0.0.1:8000"


def test_production_never_reads_the_file(tmp_path):
    served_on(tmp_path, "http://127.0.0.1:8101\n")
    production = {"DJANGO_ENV": "production", "SECRET_KEY": "k9#Qv2!xR7mZp4@Lw8sT1nB6yH3cJ5dF0gA-uE_oI+rK=eW%tY^",
                  "ALLOWED_HOSTS": "tracker.example.org"}
    assert site_url(tmp_path, **production) == "http://127.0.0.1:8000"


@pytest.mark.django_db
def test_send_weekly_digests_says_where_its_links_point(settings):
    settings.SITE_URL, settings.SITE_URL_ORIGIN = "http://127.0.0.1:8101", "where make last served the site"
    out = StringIO()
    call_command("send_weekly_digests", stdout=out)
    assert "Links in these emails point at http://127.0.0.1:8101 (where make last served the site)." in out.getvalue()


@pytest.mark.django_db
def test_import_students_says_where_its_links_point_and_uses_it(settings, cohort, tmp_path):
    settings.SITE_URL, settings.SITE_URL_ORIGIN = "http://127.0.0.1:8101", "where make last served the site"
    students = tmp_path / "students.csv"
    students.write_text("email,full name,time zone\nada@example.org,Ada Lovelace,Europe/London\n")
    out = StringIO()
    call_command("import_students", str(students), "--cohort", cohort.slug, stdout=out)
    assert "Links in these emails point at http://127.0.0.1:8101 (where make last served the site)." in out.getvalue()
    assert "http://127.0.0.1:8101/" in mail.outbox[0].body
