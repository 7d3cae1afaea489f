"""One run's result backend: Celery's key/value backend over a store only that run reads.

Tracebacks it stores are the learner's: the sample's own frames only (see `RunHooks.traceback_of`).
"""

from __future__ import annotations

import threading
from typing import Any

from celery import Celery
from celery.backends.base import KeyValueStoreBackend


class ResultStore:
    """One run's result backend storage: key → encoded meta, readable without side effects."""

    def __init__(self) -> None:
        self._data: dict[bytes, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: bytes) -> Any:
        """The stored value for `key`, or None."""
        with self._lock:
            return self._data.get(key)

    def set(self, key: bytes, value: Any) -> None:
        """Store `value` under `key`."""
        with self._lock:
            self._data[key] = value

    def delete(self, key: bytes) -> None:
        """Forget `key`."""
        with self._lock:
            self._data.pop(key, None)

    def incr(self, key: bytes) -> int:
        """Add one to the integer under `key` (chord counters) and return it."""
        with self._lock:
            value = int(self._data.get(key) or 0) + 1
            self._data[key] = value
            return value

    def items(self) -> list[tuple[bytes, Any]]:
        """Every stored key and value, in storing order."""
        with self._lock:
            return list(self._data.items())

    def clear(self) -> None:
        """Forget everything (at teardown)."""
        with self._lock:
            self._data.clear()


class RunResultBackend(KeyValueStoreBackend):  # type: ignore[misc]
    """Celery's key/value result backend over the run's own ResultStore (no global cache)."""

    supports_native_join = True
    implements_incr = True
    supports_autoexpire = False

    def __init__(self, app: Celery, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.url = url
        self.store: ResultStore = app.tutor_results

    def get(self, key: bytes) -> Any:
        value = self.store.get(key)
        hooks = _hooks(self.app)
        if hooks is not None:
            hooks.polled(key, value)
        return value

    def mark_as_failure(
        self, task_id: str, exc: Any, traceback: Any = None, *a: Any, **kw: Any
    ) -> Any:
        """Celery's, storing the traceback the learner reads: the sample's own frames only."""
        return super().mark_as_failure(task_id, exc, self._sample_tb(exc, traceback), *a, **kw)

    def mark_as_retry(
        self, task_id: str, exc: Any, traceback: Any = None, *a: Any, **kw: Any
    ) -> Any:
        """Celery's, storing the traceback the learner reads: the sample's own frames only."""
        return super().mark_as_retry(task_id, exc, self._sample_tb(exc, traceback), *a, **kw)

    def _sample_tb(self, exc: Any, traceback: Any) -> Any:
        hooks = _hooks(self.app)
        if hooks is None or traceback is None or not isinstance(exc, BaseException):
            return traceback
        return "\n".join(hooks.traceback_of(exc))

    def mget(self, keys: list[bytes]) -> dict[bytes, Any]:
        found = {key: self.store.get(key) for key in keys}
        return {key: value for key, value in found.items() if value is not None}

    def set(self, key: bytes, value: Any) -> None:
        self.store.set(key, value)

    def delete(self, key: bytes) -> None:
        self.store.delete(key)

    def incr(self, key: bytes) -> int:
        return self.store.incr(key)

    def expire(self, key: bytes, value: Any) -> None:
        """Results of a run live as long as the run; nothing expires."""

    def _apply_chord_incr(self, header_result_args: Any, body: Any, **kwargs: Any) -> Any:
        self.store.set(self.get_key_for_chord(header_result_args[0]), 0)
        return super()._apply_chord_incr(header_result_args, body, **kwargs)


def _hooks(app: Any) -> Any:
    from .app import hooks_of  # the app module imports this one

    return hooks_of(app)
