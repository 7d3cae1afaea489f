"""Which granted messages may be taken from which queue, by which worker thread (the conductor's).

A message's QUEUED stop, once granted, makes the message deliverable: the first free worker
thread consuming its queue (in the order the workers started) takes it. Every method is called
with the conductor's lock held. `on_grant` is told at once, so a worker waiting on its broker
wakes up instead of finding the message at its next poll.
"""

from __future__ import annotations

from collections.abc import Callable, Collection


class Delivery:
    """Granted messages waiting to be taken, and the worker threads consuming each queue."""

    def __init__(self) -> None:
        self.deliverable: dict[str, str] = {}
        """Granted message id → its queue, until a worker takes it."""
        self._consumers: dict[str, dict[int, None]] = {}  # in the order the workers started
        self.on_grant: Callable[[], None] | None = None
        """Called when a message becomes deliverable (the run's broker wakes its workers)."""

    def grant(self, message_id: str, queue: str) -> None:
        """The message's QUEUED stop was granted: a worker may take it now."""
        self.deliverable[message_id] = queue
        if self.on_grant is not None:
            self.on_grant()

    def wake_takers(self) -> None:
        """Who may take a granted message changed (a worker parked, filled up or began waiting;
        the run's clock resumed): wake the waiting workers to look again, if one waits."""
        if self.deliverable and self.on_grant is not None:
            self.on_grant()

    def taken(self, message_id: str) -> None:
        """A worker took the message."""
        self.deliverable.pop(message_id, None)

    def consume(self, queue: str, thread_ident: int) -> None:
        """Worker thread `thread_ident` consumes `queue`."""
        self._consumers.setdefault(queue, {})[thread_ident] = None

    def stop_consuming(self, thread_ident: int) -> None:
        """The worker thread stopped: it takes nothing any more."""
        for threads in self._consumers.values():
            threads.pop(thread_ident, None)

    def may_take(self, message_id: str, taker: int, unfree: Collection[int]) -> bool:
        """Whether thread `taker` may take the message: it is deliverable and no worker thread
        that started earlier on its queue is free (not in `unfree`)."""
        if message_id not in self.deliverable:
            return False
        takers = self._consumers.get(self.deliverable[message_id], {})
        first = next((t for t in takers if t not in unfree), None)
        return first in (None, taker)

    def someone_will_take(self, unfree: Collection[int]) -> bool:
        """Whether a deliverable message has a free consumer (it is about to be taken)."""
        for queue in self.deliverable.values():
            if any(thread not in unfree for thread in self._consumers.get(queue, {})):
                return True
        return False
