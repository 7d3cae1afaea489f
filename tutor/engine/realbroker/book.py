"""The task messages a real-broker run published and no worker took yet, per queue: what the
proxies grant from (Redis holds the messages themselves)."""

from __future__ import annotations

import threading


class QueueBook:
    """The task messages published and not taken yet, per queue, oldest first (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, list[str]] = {}

    def add(self, queue_name: str, task_id: str) -> None:
        """A message entered `queue_name`."""
        with self._lock:
            self._queues.setdefault(queue_name, []).append(task_id)

    def head(self, queue_name: str) -> str | None:
        """The oldest message of a queue not taken yet."""
        with self._lock:
            waiting = self._queues.get(queue_name)
            return waiting[0] if waiting else None

    def remove(self, task_id: str) -> None:
        """A worker took the message."""
        with self._lock:
            for waiting in self._queues.values():
                if task_id in waiting:
                    waiting.remove(task_id)

    def waiting_ids(self) -> list[str]:
        """Every message id published and not taken yet."""
        with self._lock:
            return [task_id for waiting in self._queues.values() for task_id in waiting]

    def names(self) -> list[str]:
        """Every queue a message was published to."""
        with self._lock:
            return list(self._queues)
