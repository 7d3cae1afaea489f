"""After a worker process is killed: wait, on the run's clock, for Redis to give its unacknowledged
message to another worker.

Nothing of the tutor's puts the message back. With `acks_late`, the message a killed worker held
stays in Redis's `unacked` hash; once the transport's visibility timeout has passed, a live
worker's own kombu (its periodic `restore_visible`, every second in a run that sets a visibility
timeout) puts it back on the queue's list and, its consumer added back, takes it. Meanwhile the
run is not finished: a watcher thread waits, as a caller waiting for a result does, until a live
worker reports the message or the deadline passes (then the run finishes: nothing came back).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from ..conductor import Conductor
from ..errors import RunClosed
from ..trace import Trace
from .proxy import WorkerProxy

ENTER_TIMEOUT = 1.0
"""Longest `watch_redelivery` waits for its watcher to count as waiting."""
RESTORE_SLACK = 2.5
"""Seconds past the visibility timeout the watcher waits: the restore runs every second."""


def watch_redelivery(
    *,
    conductor: Conductor,
    trace: Trace,
    proxies: Sequence[WorkerProxy],
    queues: Sequence[str],
    visibility_timeout: float,
    add_consumer: Callable[[str, str], None],
) -> threading.Thread | None:
    """Start the watcher for `queues` of a killed worker (None when no live worker consumes
    them: the message stays in `unacked`, and the run can finish)."""
    others = [
        proxy
        for proxy in proxies
        if proxy.worker.alive and not proxy.worker.stopped and set(proxy.worker.queues) & {*queues}
    ]
    if not others:
        return None

    seen = {id(proxy): proxy.reports_seen for proxy in others}

    def reported() -> bool:
        return any(proxy.has_news or proxy.reports_seen > seen[id(proxy)] for proxy in others)

    entered = threading.Event()

    def watch() -> None:
        trace.name_thread(threading.get_ident(), "broker")
        deadline = conductor.clock.now() + visibility_timeout + RESTORE_SLACK
        try:
            with conductor.waiting(reported, deadline):
                entered.set()  # from now on the run is not finished before the deadline
                for proxy in others:
                    for name in queues:
                        if name in proxy.worker.queues:
                            add_consumer(name, proxy.worker.hostname or proxy.worker.name)
                trace.record(
                    "broker",
                    "visibility-timeout",
                    summary="the message a lost worker did not acknowledge goes back to its "
                    f"queue once it has been unacknowledged for {visibility_timeout:g} s",
                )
                while not conductor.closing and not reported():
                    if conductor.clock.now() >= deadline:
                        break
                    time.sleep(0.02)
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
