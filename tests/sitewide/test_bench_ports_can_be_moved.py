"""Every port a bench run listens on can be moved with an environment variable (`make faults` hard-wired 8811),
and a value that is not a port stops the run with its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MOVED = {
    "bench.faults": ({"FAULTS_PG_PORT": "45432", "FAULTS_REDIS_PORT": "46379", "FAULTS_WEB_PORT": "9811"},
                     "(m.PG_PORT, m.REDIS_PORT, m.WEB_PORT, m.BASE)", "(45432, 46379, 9811, 'http://127.0.0.1:9811')"),
    "bench.scale_out": ({"SCALE_OUT_PORT": "9800", "SCALE_OUT_WEB_PORT_1": "9801", "SCALE_OUT_WEB_PORT_2": "9802"},
                        "(m.NGINX_PORT, m.WEB_PORTS, m.BASE)", "(9800, (9801, 9802), 'http://127.0.0.1:9800')"),
    "bench.load": ({"LOAD_PORT": "9766"}, "m.PORT", "9766"),
}


def ports_of(module: str, shown: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    clean.update(VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="scholarship.settings", **env)
    return subprocess.run([sys.executable, "-c", f"import {module} as m; print({shown})"], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("module", sorted(MOVED))
def test_each_bench_port_comes_from_the_environment(module, tmp_path):
    env, shown, expected = MOVED[module]
    result = ports_of(module, shown, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_port_that_is_not_one_is_refused_by_name(tmp_path):
    result = ports_of("bench.faults", "m.WEB_PORT", {"FAULTS_WEB_PORT": "88111"}, tmp_path)
    assert result.returncode != 0 and "FAULTS_WEB_PORT='88111' is not a port" in result.stderr
