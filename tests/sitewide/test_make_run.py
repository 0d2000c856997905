"""`make run` on the embedded defaults starts the web server, a Celery worker and beat, says "Ready" once the site
answers, and one Ctrl-C stops all three within seconds, leaves no process behind and ends make with status 0; so do
`make web`, `make worker` and `make beat`. Links in emails follow the port it was started on.

Each make runs in a terminal of its own (a pseudo-terminal), and Ctrl-C is typed into it: the kernel then signals
the terminal's foreground process group, as it does for a person at a keyboard.
"""

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import termios
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


def healthz(port: int) -> int | None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status
    except OSError:
        return None


class Terminal:
    """`make TARGET` as typed at a terminal: the session's leader, with a pseudo-terminal as its controlling one."""

    def __init__(self, target: str, *, env: dict[str, str]):
        self.marker = env["RUN_MARKER"]
        self.master, follower = os.openpty()
        self.process = subprocess.Popen(
            ["make", target], cwd=ROOT, env=env, stdin=follower, stdout=follower, stderr=follower,
            start_new_session=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(follower)
        self.chunks: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: every process holding the terminal is gone
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def output(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")

    def wait_for(self, ready, *, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready():
                return
            assert self.process.poll() is None, f"make stopped by itself:\n{self.output[-3000:]}"
            time.sleep(0.2)
        pytest.fail(f"{what} in {seconds:.0f} s:\n{self.output[-3000:]}")

    def ctrl_c(self) -> None:
        os.write(self.master, b"\x03")

    def stop(self) -> tuple[int, float, list[int]]:
        """Ctrl-C once; make's status, how long everything took to stop, and what was still running after 15 s."""
        self.ctrl_c()
        pressed = time.monotonic()
        self.process.wait(timeout=30)
        while processes_with(self.marker) and time.monotonic() - pressed < 15:
            time.sleep(0.2)
        return self.process.returncode, time.monotonic() - pressed, processes_with(self.marker)

    def close(self) -> None:
        for pid in processes_with(self.marker):
            os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        os.close(self.master)


def make_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "SITE_URL")}
    env.update(VAR_DIR=str(tmp_path / "var"), RUN_MARKER=uuid.uuid4().hex, PYTHONUNBUFFERED="1", **extra)
    return env


def test_one_ctrl_c_stops_web_worker_and_beat_and_make_exits_0(tmp_path):
    port = free_port()
    terminal = Terminal("run", env=make_env(tmp_path, PORT=str(port), DEMO_STUDENTS="3"))
    try:
        ready_line = f"Ready: open http://127.0.0.1:{port}/"
        terminal.wait_for(lambda: ready_line in terminal.output, seconds=180, what="make run never said it was ready")
        assert healthz(port) == 200, "said ready before the site answered"
        terminal.wait_for(lambda: " ready." in terminal.output and "beat: Starting" in terminal.output, seconds=60,
                          what="the worker and beat did not start")
        assert len(processes_with(terminal.marker)) >= 5  # make, honcho, runserver, the worker and its pool, beat
        # The address the site runs on, for commands started in another terminal (their emails' links).
        assert (tmp_path / "var" / "site_url").read_text().strip() == f"http://127.0.0.1:{port}"

        status, took, left = terminal.stop()
    finally:
        terminal.close()
    output = terminal.output
    assert left == [], f"still running after Ctrl-C: {left}"
    assert took < 15, f"took {took:.1f} s to stop"
    assert status == 0, output[-2000:]
    assert "make: ***" not in output, output[-2000:]  # was "make: *** [Makefile:36: run] Error 130"
    assert "Segmentation fault" not in output
    assert output.count("Warm shutdown") <= 2, output[-2000:]


@pytest.mark.parametrize(
    ("target", "started"),
    [
        ("web", lambda output, port: f"Ready: open http://127.0.0.1:{port}/" in output),
        ("worker", lambda output, port: " ready." in output),
        ("beat", lambda output, port: "beat: Starting" in output),
    ],
)
def test_one_ctrl_c_stops_make_web_worker_and_beat_with_exit_0(tmp_path, target, started):
    port = free_port()
    terminal = Terminal(target, env=make_env(tmp_path, PORT=str(port)))
    try:
        terminal.wait_for(lambda: started(terminal.output, port), seconds=90, what=f"make {target} did not start")
        status, took, left = terminal.stop()
    finally:
        terminal.close()
    assert left == [], f"still running after Ctrl-C: {left}"
    assert status == 0, terminal.output[-2000:]
    assert "make: ***" not in terminal.output, terminal.output[-2000:]


def test_links_in_emails_follow_the_port_the_site_runs_on(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(PORT="8101", DJANGO_SETTINGS_MODULE="scholarship.settings", VAR_DIR=str(tmp_path / "var"))
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
