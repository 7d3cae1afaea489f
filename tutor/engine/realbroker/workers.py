"""The lesson's workers as real `celery worker` processes (prefork pool, task events on).

Each starts in a process group of its own, loads the tutor's worker bootstrap (`-A`), and holds
the read end of a pipe whose write end only the tutor has: when the tutor closes it, or is gone,
the worker stops its whole group at once. Its log (Celery's own lines) is kept for the hood.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import deque

from ..config import WorkerSpec
from . import keys

BOOTSTRAP = "tutor.engine.realbroker.bootstrap"
LOG_LINES = 200
"""How many of a worker's last log lines are kept."""
LOG_RECORD = re.compile(r"^\[\d{4}-")
"""A line of Celery's log (`[2026-01-01 12:00:00,000: INFO/MainProcess] ...`)."""
STOP_WAIT = 1.0
"""Longest `stop()` waits for the killed process to be reaped."""


class WorkerProcess:
    """One `celery worker` process of a run (and its pool), started at once."""

    def __init__(
        self,
        spec: WorkerSpec,
        *,
        run_id: str,
        url: str,
        sample_dir: str,
        module: str,
        options: dict[str, object],
    ) -> None:
        self.spec = spec
        self.name = spec.name
        self.queues = tuple(spec.queues)
        self.hostname: str | None = None
        """The worker's node name (`worker-1@host`), once it said it is ready."""
        self.pool_pids: list[int] = []
        """The PIDs of its pool processes seen running a task, in the order seen."""
        self.log: deque[str] = deque(maxlen=LOG_LINES)
        self.ready = threading.Event()
        self.stopped = False
        read_end, self._lifeline = os.pipe()
        env = dict(os.environ)
        env.update(
            {
                keys.ENV_RUN: run_id,
                keys.ENV_BROKER: url,
                keys.ENV_SAMPLE_DIR: sample_dir,
                keys.ENV_MODULE: module,
                keys.ENV_WORKER: spec.name,
                keys.ENV_OPTIONS: json.dumps({**options, "queues": list(spec.queues)}),
                keys.ENV_PARENT_FD: str(read_end),
            }
        )
        command = [sys.executable, "-m", "celery", "-A", BOOTSTRAP, "worker"]
        command += ["-P", "prefork", "-c", str(max(1, spec.concurrency)), "-E"]
        command += ["-n", f"{spec.name}@%h", "-Q", ",".join(spec.queues)]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
        command += ["--prefetch-multiplier", "1", "--loglevel", "INFO"]
        try:
            self.process = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(read_end,),
                start_new_session=True,
            )
        finally:
            os.close(read_end)
        self.pid = self.process.pid
        self._reader = threading.Thread(target=self._read_log, name=f"{spec.name}-log", daemon=True)
        self._reader.start()

    def _read_log(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip()
            if LOG_RECORD.match(line):  # Celery's log records (the banner is left out)
                self.log.append(line)

    @property
    def alive(self) -> bool:
        """Whether the worker process still runs."""
        return self.process.poll() is None

    @property
    def pool_pid(self) -> int | None:
        """The pool process that ran its latest task body (None before any)."""
        return self.pool_pids[-1] if self.pool_pids else None

    def saw_pool_process(self, pid: int) -> None:
        """A pool process of this worker reported (it runs a task)."""
        if pid not in self.pool_pids:
            self.pool_pids.append(pid)

    def stop(self) -> None:
        """Stop the worker and its pool now (SIGKILL to its process group). Idempotent."""
        self.stopped = True
        if self._lifeline >= 0:
            os.close(self._lifeline)
            self._lifeline = -1
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        try:
            self.process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.process.stdout is not None:
            self.process.stdout.close()
