"""`make run` on SQLite migrates without a warning about something only PostgreSQL has (models.W040: SQLite keeps
an index without its INCLUDE columns); on PostgreSQL nothing is silenced."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_sqlite_default_checks_without_the_covering_index_warning(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env["VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run([sys.executable, "manage.py", "check", "--database", "default"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "W040" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_only_sqlite_silences_it():
    on_sqlite = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert ("models.W040" in settings.SILENCED_SYSTEM_CHECKS) == on_sqlite
