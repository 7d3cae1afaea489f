"""The conductor's state: who is busy, held, waiting or wanting a turn, the stops reached, and the
rules on it (`Conductor` in `conductor` is the part the run's threads and the learner call)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Collection

from .busy import BusyThreads
from .clock import RunClock
from .delivery import Delivery
from .errors import EngineError, RunClosed, RunStalled
from .reached import Reached, new_stop
from .stages import Stage, Stop
from .trace import Trace


class ConductorState:
    """What the conductor knows of the run's threads, and the rules it decides by (all under
    `_cond`, its lock)."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._cond = threading.Condition()
        self._pending: deque[Reached] = deque()
        self._current: Reached | None = None
        self._seq = 0
        self._busy, self._held, self._wanting = BusyThreads(), set[int](), set[int]()
        self._waiters, self._deadlines = dict[int, Callable[[], bool]](), dict[int, float]()
        self.delivery = Delivery()
        """Granted messages and the workers to take them (its `on_grant` wakes the broker)."""
        self._timed = 0
        self._handed_off, self._full = 0, set[int]()  # see hand_off, prefetch_full
        self._closing = False
        self.clock = RunClock(trace)  # the run's own time: pauses for the learner left out
        trace.paused_before = self.clock.paused_before
        self._in_sample: dict[int, int] = {}
        self._failure: EngineError | None = None
        self._last_stage: Stage | None = None
        self.describe_stall: Callable[[list[int], Stage | None, float], RunStalled] | None = None
        """Builds RunStalled from the busy threads, the stage let go on from, and the limit."""
        self.on_settled: Callable[[list[Stop]], None] | None = None
        """Reads the snapshots of the stops reached since the last settle (nothing moves)."""

    def _check(self) -> None:
        if self._closing:
            raise RunClosed("run is closed")
        if self._failure is not None:
            raise self._failure.with_traceback(None)

    def _take_turn(self, spare: Collection[int] = ()) -> None:
        """(Lock held.) Wait until the run is not paused and no other thread works (threads in
        `spare` aside); go on."""
        me = threading.get_ident()
        self._wanting.add(me)
        self._cond.notify_all()
        try:
            while not self._closing and (self.clock.paused or self._busy - {me, *spare}):
                self._cond.wait(0.05)
        finally:
            self._wanting.discard(me)
        self._busy.add(me)

    def _new_stop(self, stage: Stage, info: dict[str, object]) -> Stop:
        self._seq += 1
        return new_stop(self._seq, stage, info, self._trace.thread_name)

    def _grant(self, reached: Reached) -> None:
        reached.granted = True
        if reached.on_grant is not None:
            reached.on_grant()
        if reached.thread_ident is not None:
            self._held.discard(reached.thread_ident)
            self._busy.add(reached.thread_ident)
        if reached.message_id is not None and reached.queue is not None:
            self.delivery.grant(reached.message_id, reached.queue)
        self._cond.notify_all()

    def _unsettled(self) -> bool:
        """(Lock held.) Whether a thread of the run moves or is about to."""
        if self._busy or self._wanting or self._handed_off > 0:
            return True
        if any(ready() for ready in self._waiters.values()):
            return True
        return self.delivery.someone_will_take({*self._held, *self._full})

    def _stalled(self, timeout: float) -> RunStalled:
        busy = sorted(self._busy or self._deadlines, key=self._trace.thread_name)
        if self.describe_stall is not None:
            return self.describe_stall(busy, self._last_stage, timeout)
        names = ", ".join(map(self._trace.thread_name, busy)) or "none"
        return RunStalled(f"the run did not reach its next stop within {timeout:g} s ({names})")
