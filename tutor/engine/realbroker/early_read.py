"""Reading Redis for a snapshot while the tutor's threads hand the stop over.

A stage step on Redis ends with a pool process's report reaching its proxy thread; the proxy
records the stage and parks, the learner's thread wakes and reads Redis for the snapshot. When the
proxy is the only thread of the run still moving as its report arrives, nothing the tutor does can
change Redis before the run settles: the proxy sends the snapshot's read (`READ_ALL`) then, on a
connection of its own, and the snapshot takes the reply instead of asking again. The reply is used
only if no thread of the run started to move in between (the conductor's `moves` are the same)
and the keys asked are the ones the snapshot wants; otherwise it is read and dropped, and the
snapshot reads Redis as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from .reading import READ_ALL, RedisReading, parse_state, state_keys


class EarlyRead:
    """One read of Redis sent ahead of the snapshot that wants it (at most one in flight)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._connection: Any = None
        self._sha: str | None = None
        self._pending: tuple[int, tuple[str, ...], tuple[str, ...]] | None = None
        """The read in flight: the conductor's moves when sent, the queues and the keys."""
        self.used = 0
        """How many snapshots took their reading from a read sent early."""
        self._closed = False

    def send(self, token: int, queues: Sequence[str], task_ids: Sequence[str]) -> None:
        """Send the read of `queues` and `task_ids`'s metas now (`token`: the run's moves). A
        broker gone away sends nothing: the snapshot's own read says so."""
        keys = state_keys(queues, task_ids)
        with self._lock:
            if self._closed:
                return  # a proxy late for the run's close opens nothing
            try:
                self._drain()
                connection = self._connect()
                connection.send_command("EVALSHA", self._sha, len(keys), *keys, len(queues))
            except Exception:  # redis-py's connection errors
                self._drop()
                return
            self._pending = (token, tuple(queues), tuple(keys))

    def take(
        self, token: int, queues: Sequence[str], task_ids: Sequence[str]
    ) -> RedisReading | None:
        """The reading sent early, if it was sent at `token` moves for these queues and ids."""
        keys = tuple(state_keys(queues, task_ids))
        with self._lock:
            pending, self._pending = self._pending, None
            if pending is None:
                return None
            try:
                replies = self._connection.read_response()
            except Exception:  # redis-py's errors (NOSCRIPT after a SCRIPT FLUSH, a lost link)
                self._drop()
                return None
            if pending != (token, tuple(queues), keys) or not isinstance(replies, list):
                return None
            self.used += 1
            return parse_state(replies, queues, keys)

    def close(self) -> None:
        """Let the connection go; nothing is sent after."""
        with self._lock:
            self._closed = True
            self._drop()

    def _connect(self) -> Any:
        if self._connection is None:
            self._sha = self._client.script_load(READ_ALL)
            self._connection = self._client.connection_pool.make_connection()
        return self._connection

    def _drain(self) -> None:
        """Read the reply of a read nobody took, so the next reply is the next read's."""
        if self._pending is not None:
            self._pending = None
            self._connection.read_response()

    def _drop(self) -> None:
        self._pending = None
        if self._connection is not None:
            self._connection.disconnect()
            self._connection = None
