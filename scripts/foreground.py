"""Run a server for make in the terminal's foreground: say when it answers; one Ctrl-C stops it and make exits 0.

    python scripts/foreground.py [--ready http://HOST:PORT/] COMMAND [ARGUMENT ...]

Why make needs this. Ctrl-C signals the terminal's foreground process group, and make is in that group. GNU make,
on SIGINT, waits for its recipe and then kills itself with the same signal, so however cleanly the server stopped,
`make run` ended with "Error 130" (or "Interrupt") and status 130. A trap in the recipe can not help: make itself
got the signal. So this script does what a shell does for a job: it moves itself and the server into a process
group of their own and makes that group the terminal's foreground. Ctrl-C then reaches the server, which stops in
its own way (honcho stops all three processes; a Celery worker makes its warm shutdown), and this script, which
gives the terminal back to make and exits 0 when the server ended by itself after the interrupt. Without a
terminal (CI, a pipe, `make run &`) the process groups are left as they are and the command's status is passed on.

While the server runs Ctrl-Z does nothing: a stopped group that is not make's own would hold the terminal with no
shell job to resume.

With --ready, "Ready: open URL" is printed once URL's /healthz answers 200 (the database and the broker answer),
not before.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator

READY_POLL_SECONDS = 0.25
# The ways a server ends when asked to stop: on its own (whatever status it chose: a Celery worker's warm shutdown
# after SIGINT exits 1, honcho exits 130), or by the signal it was sent. SIGKILL or a crash is not a clean stop.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def foreground_terminal() -> int | None:
    """The controlling terminal, if this process is in its foreground group (a person pressing Ctrl-C reaches it)."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return None
    try:
        if os.tcgetpgrp(terminal) == os.getpgrp():
            return terminal
    except OSError:
        pass
    os.close(terminal)
    return None


@contextlib.contextmanager
def ignoring(signum: int) -> Iterator[None]:
    previous = signal.signal(signum, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signum, previous)


def hand_terminal(terminal: int, group: int) -> None:
    """Make `group` the terminal's foreground. Called from a background group, which the kernel stops with SIGTTOU
    unless it is ignored."""
    with ignoring(signal.SIGTTOU), contextlib.suppress(OSError):  # make gone: nobody to hand it back to
        os.tcsetpgrp(terminal, group)


def announce_when_ready(url: str, stopped: threading.Event) -> None:
    health = url.rstrip("/") + "/healthz"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the server is local: never via a proxy
    while not stopped.is_set():
        try:
            with opener.open(health, timeout=2) as response:
                if response.status == 200:
                    print(f"Ready: open {url}", flush=True)
                    return
        except OSError:  # not listening yet, or 503 while the database or broker do not answer
            pass
        stopped.wait(READY_POLL_SECONDS)


def exit_status(returncode: int, *, interrupted: bool) -> int:
    """0 for a clean stop after the interrupt; otherwise the command's status, as a shell reports it."""
    if interrupted and (returncode >= 0 or -returncode in STOP_SIGNALS):
        return 0
    return returncode if returncode >= 0 else 128 - returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ready", metavar="URL", help='print "Ready: open URL" once URL/healthz answers 200')
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the server to run")
    args = parser.parse_args(argv)
    if not args.command:
        parser.error("name the command to run")

    interrupted = threading.Event()
    child: subprocess.Popen | None = None

    def on_interrupt(signum, frame) -> None:
        interrupted.set()  # the server got the same Ctrl-C and stops itself; wait for it

    def on_terminate(signum, frame) -> None:
        interrupted.set()
        if child is not None:  # make passes SIGTERM to its recipe only
            child.send_signal(signum)

    signal.signal(signal.SIGINT, on_interrupt)
    signal.signal(signal.SIGTERM, on_terminate)
    terminal, make_group = foreground_terminal(), os.getpgrp()
    if terminal is not None:
        signal.signal(signal.SIGTSTP, signal.SIG_IGN)  # inherited by the server
        os.setpgid(0, 0)
        hand_terminal(terminal, os.getpgrp())
    stopped = threading.Event()
    try:
        try:
            child = subprocess.Popen(args.command)
        except OSError as exc:
            print(f"{args.command[0]}: {exc.strerror}", file=sys.stderr)
            return 127
        if args.ready:
            threading.Thread(target=announce_when_ready, args=(args.ready, stopped), daemon=True).start()
        returncode = child.wait()
    finally:
        stopped.set()
        if terminal is not None:
            hand_terminal(terminal, make_group)
            os.close(terminal)
    return exit_status(returncode, interrupted=interrupted.is_set())


if __name__ == "__main__":
    sys.exit(main())
