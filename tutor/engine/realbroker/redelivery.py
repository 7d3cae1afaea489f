"""After a worker process is killed: wait, on the run's clock, for Redis to put back the message
it took and never acknowledged.

Nothing of the tutor's puts the message back. With `acks_late`, the message a killed worker held
stays in Redis's `unacked` hash; once the transport's visibility timeout has passed, a live
worker's own kombu (its periodic `restore_visible`, every second in such a run) pushes it back on
its queue's list, marked redelivered. kombu restores only in a worker that consumes some queue,
and the run's workers consume nothing between grants: so a live worker is given a consumer on a
queue of the run's own that no message ever enters, for as long as the watch lasts. The watcher
reads the queue's list (LRANGE, nothing taken) until the message is back, then gates it like any
published message: a `queued` stop, granted to a free worker as usual. Meanwhile the run is not
finished; after the deadline with nothing back, it is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from ..conductor import Conductor
from ..errors import RunClosed
from ..trace import Trace
from .book import QueueBook
from .proxy import WorkerProxy
from .reading import envelopes

ENTER_TIMEOUT = 1.0
"""Longest `watch_redelivery` waits for its watcher to count as waiting."""
RESTORE_SLACK = 2.5
"""Seconds past the visibility timeout the watcher waits: the restore runs every second."""
POLL = 0.05


def watch_redelivery(
    *,
    conductor: Conductor,
    trace: Trace,
    client: Any,
    book: QueueBook,
    proxies: Sequence[WorkerProxy],
    queues: Sequence[str],
    visibility_timeout: float,
    restore_queue: str,
    control: Callable[[str, str, str], None],
    gate: Callable[[str, dict[str, Any]], None],
) -> threading.Thread | None:
    """Start the watcher for `queues` of a killed worker (None when no live worker is left to
    restore the message: it stays in `unacked`, and the run can finish). `control(command,
    queue, hostname)` sends "add_consumer" or "cancel_consumer"; `gate(queue, envelope)` gates a
    message found back in a queue's list."""
    live = [p.worker for p in proxies if p.worker.alive and not p.worker.stopped]
    if not live:
        return None
    restorer = live[0]
    host = restorer.hostname or restorer.name
    found = threading.Event()
    entered = threading.Event()

    def back() -> list[tuple[str, dict[str, Any]]]:
        """Messages back in a queue's list that the run does not know as waiting there."""
        known = set(book.waiting_ids())
        return [
            (name, envelope)
            for name in queues
            for envelope in envelopes(client, name)
            if (envelope.get("headers") or {}).get("id") not in known
        ]

    def watch() -> None:
        trace.name_thread(threading.get_ident(), "broker")
        deadline = conductor.clock.now() + visibility_timeout + RESTORE_SLACK
        try:
            with conductor.waiting(found.is_set, deadline):
                entered.set()  # from now on the run is not finished before the deadline
                control("add_consumer", restore_queue, host)
                trace.record(
                    "broker",
                    "visibility-timeout",
                    summary="the message the lost worker did not acknowledge goes back to its "
                    f"queue once it has been unacknowledged for {visibility_timeout:g} s",
                )
                while not conductor.closing and conductor.clock.now() < deadline:
                    returned = back()
                    if returned:
                        for name, envelope in returned:
                            gate(name, envelope)
                        found.set()
                        break
                    time.sleep(POLL)
                control("cancel_consumer", restore_queue, host)
        except RunClosed:
            pass
        except Exception as exc:  # the broker went away meanwhile: nothing comes back
            trace.record("broker", "unreachable", summary=f"Redis: {exc}")
        finally:
            entered.set()
            conductor.end_work()

    thread = threading.Thread(target=watch, name="redelivery", daemon=True)
    thread.start()
    entered.wait(ENTER_TIMEOUT)
    return thread
