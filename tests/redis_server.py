"""A private redis-server for the tests that play on a real broker (Debian's package, installed
with apt-get when missing and the tests run as root; otherwise those tests skip with the reason),
and the process checks they share."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest


def _redis_server() -> str:
    """Debian's redis-server, installed from the package registry when missing."""
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], capture_output=True, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "redis-server"],
            capture_output=True,
            timeout=900,
            env=env,
        )
        found = shutil.which("redis-server")
        if found:
            return found
    pytest.skip("redis-server is not installed and could not be installed with apt-get (not root?)")


@pytest.fixture(scope="module")
def broker_url() -> Iterator[str]:
    """The URL of a private redis-server, stopped after the module."""
    pytest.importorskip("redis", reason="the 'redis' package is not installed")
    from tutor.engine.realbroker.server import resolve, stop_private_server

    _redis_server()
    yield resolve("redis")
    stop_private_server()


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting to be reaped does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def wait_gone(pids: list[int], seconds: float = 3.0) -> list[int]:
    """The PIDs still alive after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]
