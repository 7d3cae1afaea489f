"""The tutor's end of the workers' "ready" reports: one thread popping the run's Redis list
(every other report of a worker goes to its own list, popped by its proxy)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from .workers import WorkerProcess

POP_TIMEOUT = 0.2
"""How long one BLPOP waits (so stopping is noticed quickly)."""


class ReportListener:
    """Marks each worker process ready when it says so (until the run stops)."""

    def __init__(self, client: Any, key: str) -> None:
        self._client = client
        self._key = key
        self._running = threading.Event()
        self._thread: threading.Thread | None = None
        self._workers: Sequence[WorkerProcess] = ()

    def start(self, workers: Sequence[WorkerProcess]) -> None:
        """Start listening for the workers' "ready"."""
        self._workers = workers
        self._running.set()
        self._thread = threading.Thread(target=self._listen, name="reports", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop at the next pop."""
        self._running.clear()

    def join(self, timeout: float) -> None:
        """Wait for the thread to end."""
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    def _listen(self) -> None:
        while self._running.is_set():
            try:
                popped = self._client.blpop([self._key], timeout=POP_TIMEOUT)
            except Exception:  # the broker went away: the run stalls and says so
                if not self._running.wait(POP_TIMEOUT):
                    return
                continue
            if popped is not None:
                self._dispatch(json.loads(popped[1]))

    def _dispatch(self, report: dict[str, Any]) -> None:
        for worker in self._workers:
            if worker.name == report.get("worker") and report.get("kind") == "ready":
                worker.hostname = str(report.get("hostname"))
                worker.ready.set()
