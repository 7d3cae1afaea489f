"""The names both sides of a real-broker run agree on: environment variables and Redis keys.

The tutor starts the workers with these variables set; the workers' bootstrap reports to the
tutor through a Redis list, and waits at each gate on a list of its own. Light: no Celery here.
"""

from __future__ import annotations

ENV_RUN = "TUTOR_REAL_RUN"
"""The run's id (it names every key below)."""
ENV_BROKER = "TUTOR_REAL_BROKER"
"""The Redis URL of the broker (the result backend is the same server, when there is one)."""
ENV_SAMPLE_DIR = "TUTOR_REAL_SAMPLE_DIR"
"""The folder holding the sample's definitions as an importable module."""
ENV_MODULE = "TUTOR_REAL_MODULE"
"""That module's name (the tasks register as MODULE.function)."""
ENV_WORKER = "TUTOR_REAL_WORKER"
"""The lesson's name of this worker ("worker-1")."""
ENV_OPTIONS = "TUTOR_REAL_OPTIONS"
"""The app's options for this run, as JSON (result backend, acks_late, default queue...)."""
ENV_PARENT_FD = "TUTOR_REAL_PARENT_FD"
"""A pipe's read end: its end of file means the tutor is gone (the worker then stops itself)."""

GO = b"go"
"""What the tutor pushes to a gate's list to let the worker process go on."""


WAKE = b'{"kind": "wake"}'
"""What the tutor pushes to a worker's report list to wake its proxy (a message was granted, or
the run closes): not a report of the worker's."""


def reports_key(run: str, worker: str | None = None) -> str:
    """The list a worker pushes its reports to (oldest first), for its proxy in the tutor to
    pop; without a worker, the run's list where each worker process says it is ready."""
    if worker is None:
        return f"tutor-run:{run}:reports"
    return f"tutor-run:{run}:reports:{worker}"


def gate_key(run: str, pid: int) -> str:
    """The list one worker process (by its PID) waits on at a gate."""
    return f"tutor-run:{run}:gate:{pid}"


def run_keys_pattern(run: str) -> str:
    """Every key of the tutor's own for a run (removed when the run closes)."""
    return f"tutor-run:{run}:*"
