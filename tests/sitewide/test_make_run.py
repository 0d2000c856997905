"""`make run` on the embedded defaults starts the web server, a Celery worker and beat; one Ctrl-C stops all
three within seconds and leaves no process behind. Links in emails follow the port it was started on."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with(marker: str) -> list[int]:
    """Every live process whose environment carries the marker: make, honcho and all they started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("State:"))
        except (OSError, StopIteration):
            continue
        if f"RUN_MARKER={marker}".encode() in environ and "zombie" not in state:
            found.append(int(entry.name))
    return found


def test_one_ctrl_c_stops_web_worker_and_beat(tmp_path):
    marker, port = uuid.uuid4().hex, free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "SITE_URL")}
    env.update(VAR_DIR=str(tmp_path / "var"), PORT=str(port), DEMO_STUDENTS="3", RUN_MARKER=marker, PYTHONUNBUFFERED="1")
    run = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(line.decode("utf-8", "replace") for line in run.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            output = "".join(lines)
            if " ready." in output and "beat: Starting" in output:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
            assert run.poll() is None, "make run stopped by itself:\n" + "".join(lines[-40:])
            time.sleep(0.5)
        else:
            pytest.fail("make run did not start web, worker and beat in 3 minutes:\n" + "".join(lines[-40:]))
        assert len(processes_with(marker)) >= 5  # make, honcho, runserver, the worker and its pool, beat

        os.killpg(run.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: signal the foreground group
        stopped_at = time.monotonic()
        run.wait(timeout=30)
        while processes_with(marker) and time.monotonic() - stopped_at < 15:
            time.sleep(0.2)
        left = processes_with(marker)
        took = time.monotonic() - stopped_at
    finally:
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
    reader.join(timeout=5)
    output = "".join(lines)
    assert left == [], f"still running after Ctrl-C: {left}"
    assert took < 15, f"took {took:.1f} s to stop"
    assert "Segmentation fault" not in output
    assert output.count("Warm shutdown") <= 2, output[-2000:]
    assert f"Starting web on http://127.0.0.1:{port}/" in output


def test_links_in_emails_follow_the_port_the_site_runs_on():
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(PORT="8101", DJANGO_SETTINGS_MODULE="scholarship.settings")
    printed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    assert printed.stdout.strip() == "http://127.0.0.1:8101"


def test_make_web_serves_pages_with_their_css(tmp_path):
    """`make web` is gunicorn in the default profile: it must serve the static files a page links to."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=str(tmp_path / "var"), PORT=str(port))
    web = subprocess.Popen(["make", "web"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=2) as response:
                    status, body = response.status, response.read()
                    break
            except OSError:
                time.sleep(0.3)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
    assert status == 200 and b"{" in body
