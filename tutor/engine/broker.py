"""One run's own in-memory broker: kombu's memory transport with per-run queues and a gate.

kombu's memory transport keeps its queues and bindings in class-level (process-global) state, so
two runs would read each other's leftovers. Here every run owns a `BrokerStore`, passed to the
transport through the connection's transport options; the transport's channels read and write only
that store. The store tells its listener about every put, get and ack, and asks it before a worker
may take a message, which is how the run holds a message visibly in its queue.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from queue import Empty
from typing import Any, Protocol

from kombu.transport import memory, virtual

from .. import compat
from .wire import WireMessage, decode_message

STORE_OPTION = "tutor_broker_store"
"""The transport option that carries a run's BrokerStore to the transport."""

DRAIN_CAP_SECONDS = 0.25
"""Longest a worker's drain waits before going back through Celery's loop (Celery uses 2 s);
whatever a worker must notice sooner wakes it (a put, a grant, an ack, a stop)."""
RECHECK_SECONDS = 0.25
"""Longest a waiting worker goes without looking at its queues again, woken or not: a safety
net only; every change to who may take a message wakes the waiting workers (an idle lesson's
workers then cost next to no CPU, where a 10 ms look cost each ~2% of a core)."""


class BrokerListener(Protocol):
    """What a BrokerStore reports to (the run)."""

    def before_put(self, queue: str, message: dict[str, Any]) -> None:
        """A message is about to enter `queue` (it is not visible to workers yet)."""

    def may_take(self, queue: str, message: dict[str, Any]) -> bool:
        """Whether the message at the head of `queue` may be taken now."""

    def taken(self, queue: str, message: dict[str, Any]) -> None:
        """A worker took the message off `queue`."""

    def idle(self, queue: str) -> None:
        """A worker polled `queue` and found nothing it may take."""

    def acked(self, delivery_tag: Any, message: Any) -> None:
        """A worker acknowledged a delivered message."""

    def prefetch_full(self, full: bool) -> None:
        """A worker is about to poll: whether it holds as many unacknowledged messages as it may."""


class RunQueue:
    """A FIFO of raw messages with its own lock; readable without consuming."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: deque[dict[str, Any]] = deque()

    def qsize(self) -> int:
        """How many messages wait."""
        with self.lock:
            return len(self.items)

    def peek(self) -> list[dict[str, Any]]:
        """A copy of the waiting messages, oldest first."""
        with self.lock:
            return list(self.items)


class BrokerStore:
    """Everything one run's broker holds: queues, bindings, and the channels reading them."""

    def __init__(self, listener: BrokerListener) -> None:
        self.listener = listener
        self.queues: dict[str, RunQueue] = {}
        self.state = compat.broker_state()
        self.channels: weakref.WeakSet[RunChannel] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._changed = threading.Condition(threading.Lock())
        self._changes = 0

    def wake(self) -> None:
        """Wake the waiting workers: something they may take appeared (a put, a grant), or they
        are to look at their stop flag (the run closes)."""
        with self._changed:
            self._changes += 1
            self._changed.notify_all()

    def changes(self) -> int:
        """How many wake-ups so far (read before looking at the queues, see `wait`)."""
        return self._changes

    def wait(self, seen: int, timeout: float) -> bool:
        """Wait up to `timeout` s unless a wake-up came after `changes()` returned `seen`;
        True when one came."""
        with self._changed:
            if self._changes == seen:
                self._changed.wait(timeout)
            return self._changes != seen

    def queue(self, name: str) -> RunQueue:
        """The queue called `name`, created on first use."""
        with self._lock:
            found = self.queues.get(name)
            if found is None:
                found = self.queues[name] = RunQueue()
            return found

    def waiting(self) -> dict[str, list[WireMessage]]:
        """Every queue's waiting messages, decoded, without consuming them."""
        with self._lock:
            names = list(self.queues)
        return {
            name: [decode_message(name, raw) for raw in self.queue(name).peek()] for name in names
        }

    def unacked(self) -> list[WireMessage]:
        """Messages delivered to a worker and not acknowledged yet."""
        found: list[WireMessage] = []
        for channel in list(self.channels):
            for message in compat.unacked_messages(channel):
                raw = {
                    "headers": message.headers,
                    "properties": message.properties,
                    "body": message.body,
                }
                delivery = message.delivery_info or {}
                queue = str(delivery.get("routing_key") or delivery.get("queue") or "")
                found.append(decode_message(queue, raw))
        return found

    def delete(self, name: str) -> None:
        """Forget the queue called `name`."""
        with self._lock:
            self.queues.pop(name, None)

    def clear(self) -> None:
        """Forget every queue and binding (at teardown)."""
        with self._lock:
            self.queues.clear()
        self.state.clear()


class RunChannel(memory.Channel):
    """A memory channel that reads and writes only its run's BrokerStore."""

    def __init__(self, connection: RunTransport, **kwargs: Any) -> None:
        self.store: BrokerStore = connection.store
        self.queues = self.store.queues
        super().__init__(connection, **kwargs)
        self.store.channels.add(self)

    def _has_queue(self, queue: str, **kwargs: Any) -> bool:
        return queue in self.store.queues

    def _new_queue(self, queue: str, **kwargs: Any) -> None:
        self.store.queue(queue)

    def _queue_for(self, queue: str) -> RunQueue:
        return self.store.queue(queue)

    def _put(self, queue: str, message: dict[str, Any], **kwargs: Any) -> None:
        self.store.listener.before_put(queue, message)
        run_queue = self.store.queue(queue)
        with run_queue.lock:
            run_queue.items.append(message)
        self.store.wake()

    def _put_fanout(
        self, exchange: str, message: dict[str, Any], routing_key: str | None = None, **kwargs: Any
    ) -> None:
        for queue in compat.channel_lookup(self, exchange, routing_key):
            self._put(queue, message)

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        run_queue = self.store.queue(queue)
        with run_queue.lock:
            head = run_queue.items[0] if run_queue.items else None
            if head is not None and self.store.listener.may_take(queue, head):
                run_queue.items.popleft()
            else:
                head = None
        if head is None:
            self.store.listener.idle(queue)
            raise Empty()
        self.store.listener.taken(queue, head)
        return head

    def _size(self, queue: str) -> int:
        return self.store.queue(queue).qsize()

    def _delete(self, queue: str, *args: Any, **kwargs: Any) -> None:
        self.store.delete(queue)

    def _purge(self, queue: str) -> int:
        run_queue = self.store.queue(queue)
        with run_queue.lock:
            size = len(run_queue.items)
            run_queue.items.clear()
        return size

    def drain_events(self, timeout: Any = None, callback: Any = None) -> Any:
        """Take the next message; a worker whose prefetch is full takes nothing: it is idle."""
        self.store.listener.prefetch_full(bool(self._consumers) and not self.qos.can_consume())
        return super().drain_events(timeout=timeout, callback=callback)

    def basic_ack(self, delivery_tag: Any, multiple: bool = False) -> None:
        message = compat.delivered_message(self, delivery_tag)
        super().basic_ack(delivery_tag, multiple=multiple)
        self.store.listener.acked(delivery_tag, message)
        self.store.wake()  # its worker may take more now: back through Celery's loop at once

    def close(self) -> None:
        self.store.channels.discard(self)
        virtual.Channel.close(self)


class RunTransport(memory.Transport):
    """The memory transport, bound to the BrokerStore named in the transport options."""

    Channel = RunChannel

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        self.store: BrokerStore = client.transport_options[STORE_OPTION]
        self.state = self.store.state

    def drain_events(self, connection: Any, timeout: Any = None, **kwargs: Any) -> Any:
        """Deliver the next message a worker may take, waiting for one at most DRAIN_CAP_SECONDS
        when given a timeout (so a worker stops promptly). Meanwhile it waits on its store,
        which a put or a grant wakes at once (kombu's loop would sleep its polling interval)."""
        cap = float("inf") if timeout is None else min(timeout, DRAIN_CAP_SECONDS)
        deadline, woken = time.monotonic() + cap, False
        while True:
            seen = self.store.changes()
            try:
                return super().drain_events(connection, timeout=0, **kwargs)
            except TimeoutError:  # socket.timeout: nothing to take now
                left = deadline - time.monotonic()
                if left <= 0 or woken:  # woken for nothing: back to the loop (a stop?)
                    raise
                woken = self.store.wait(seen, min(left, RECHECK_SECONDS))


def forget_pools(store: BrokerStore) -> None:
    """Close and drop kombu's process-global connection and producer pools made for `store`.

    Celery keeps its producer pool in kombu's global pool groups, keyed by the connection's
    parameters; left there, every finished run would stay in memory for the life of the process.
    """
    compat.forget_kombu_pools(lambda options: options.get(STORE_OPTION) is store)
