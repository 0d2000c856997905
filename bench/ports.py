"""The loopback ports the bench runs listen on: each has a default and an environment variable to move it
(README, "Make targets"), so a run never needs a port that something else on the machine holds."""

import os


def port_from_env(name: str, default: int) -> int:
    """The port in environment variable `name`, or `default`; a value that is not a port stops the run, named."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 65535):
        raise SystemExit(f"{name}={value!r} is not a port: give a number from 1 to 65535.")
    return int(value)
