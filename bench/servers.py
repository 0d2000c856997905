"""What the benchmark scripts share about the servers they start."""

import time
import urllib.request


def wait_until_healthy(base_url: str, seconds: float = 30) -> None:
    """Poll /healthz until it answers; a server that never does ends the run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base_url}/healthz", timeout=2)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    raise SystemExit(f"{base_url}/healthz did not answer within {seconds:.0f} s")
