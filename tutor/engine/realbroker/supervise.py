"""A tiny supervisor: runs one command (the private redis-server) while its parent lives.

    python -m tutor.engine.realbroker.supervise redis-server --port 6390 ...

The tutor holds the write end of this process's stdin. When stdin reaches its end (the tutor
closed it, or the tutor is gone, even after `kill -9`), the command is stopped and this process
exits. Light on purpose: it imports nothing of Celery or Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1
STOP_WAIT = 1.0
"""How long the command gets to stop on SIGTERM before it is killed."""


def _die_with_parent() -> None:
    """In the command's process (Linux): get SIGTERM when this supervisor dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # elsewhere the supervisor's own stop is all there is


def main(argv: list[str]) -> int:
    """Run `argv` until stdin ends; return the command's exit status (or 0 when stopped)."""
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    try:
        while os.read(sys.stdin.fileno(), 64):
            pass
    except (OSError, KeyboardInterrupt):
        pass
    if child.poll() is not None:
        return child.returncode
    child.terminate()
    try:
        child.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
