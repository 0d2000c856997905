"""PostgreSQL and Redis servers of the fault run's own: temporary, on ports of their own, so restarting them
touches nothing else on the machine (and works in CI, where the shared servers must stay up)."""

import os
import shutil
import subprocess
import time
from pathlib import Path


def run_as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root; CI is root, a developer usually is not."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, **kwargs)


class OwnPostgres:
    """A throwaway cluster in `folder`, listening on 127.0.0.1:`port` only."""

    def __init__(self, folder: Path, *, port: int):
        self.port = port
        versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name)) if Path("/usr/lib/postgresql").exists() else []
        self.bin = versions[-1] / "bin" if versions else Path(os.path.dirname(shutil.which("pg_ctl") or "/usr/bin/pg_ctl"))
        self.data, self.log = folder / "pg", folder / "pg.log"
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
            shutil.chown(self.data, "postgres")
        run_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"], stdout=subprocess.DEVNULL)

    def pg_ctl(self, *args: str) -> None:
        run_as_postgres(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
             "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off", *args],
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "immediate")


class OwnRedis:
    """A throwaway Redis on 127.0.0.1:`port` that saves nothing, as in CI: a restart empties its queues."""

    def __init__(self, folder: Path, *, port: int):
        self.folder, self.port, self.proc = folder, port, None

    def start(self) -> None:
        # Nothing saved to disk, as in CI: a restart empties the broker's queues.
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise SystemExit("the fault run's Redis did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()
