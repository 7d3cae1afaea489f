"""The conductor: holds every stage of a run until the learner moves on, one stop at a time.

Threads of the run (the caller, each worker, each worker's timer, beat) report to the conductor
when they reach a stage. A *blocking* stop parks that thread until it is granted; a *marker* stop (a
message waiting in a queue or in a timer) parks nothing, but the queue gate keeps its message from
being taken until the stop is granted. `advance()` grants the current stop, waits until the run has
settled (no thread is doing work) and makes the oldest reached stop the current one. Each stop's
snapshot is read when the run first settles after it (every thread held or idle, the clock still).
Threads moving without a grant (a timer entry or a beat entry due, a caller's wait that ended) take
turns, never during a pause. A granted message goes to the first free worker that consumes it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .conductor_state import ConductorState
from .errors import EngineError, RunClosed
from .reached import FINISHED_INFO, OnGrant, Reached
from .stages import Stage, Stop


class Conductor(ConductorState):
    """Decides when each thread of a run may go on, so the learner sees one stage at a time."""

    # ----------------------------------------------------------------- threads of the run
    def begin_work(self) -> None:
        """The calling thread starts doing work the run must wait for."""
        with self._cond:
            self._busy.add(threading.get_ident())

    def end_work(self) -> None:
        """The calling thread has nothing to do for now (finished, or polling an empty queue)."""
        me = threading.get_ident()
        with self._cond:
            if me in self._busy:
                self._busy.discard(me)
                self._cond.notify_all()

    def hold(self, stage: Stage, on_grant: OnGrant | None = None, **info: object) -> None:
        """Park the calling thread at `stage` until the learner moves on (or the run closes);
        `on_grant` runs in the granting thread as the stop is granted."""
        me = threading.get_ident()
        with self._cond:
            if self._closing:
                raise RunClosed(f"run closed at {stage}")
            reached = Reached(self._new_stop(stage, info), me, on_grant=on_grant)
            self._pending.append(reached)
            self._busy.discard(me)
            self._held.add(me)
            self.delivery.wake_takers()  # a later worker may take what this one would have
            self._cond.notify_all()
            while not reached.granted and not self._closing:
                self._cond.wait()
            self._held.discard(me)
            if self._closing:
                raise RunClosed(f"run closed while held at {stage}")
            self._busy.add(me)

    def mark(self, stage: Stage, **info: object) -> None:
        """Record a stop that parks no thread (a message waiting in a worker's timer)."""
        with self._cond:
            if self._closing:
                return
            self._pending.append(Reached(self._new_stop(stage, info), None))
            self._busy.stop_reached()
            self._cond.notify_all()

    def gate_message(self, message_id: str, queue: str, **info: object) -> None:
        """A message is about to enter `queue`: keep it there until its QUEUED stop is granted."""
        with self._cond:
            stop = self._new_stop(Stage.QUEUED, {**info, "task_id": message_id})
            self._pending.append(Reached(stop, None, message_id=message_id, queue=queue))
            self._busy.stop_reached()
            self._cond.notify_all()

    def may_take(self, message_id: str) -> bool:
        """Whether the calling worker may take this granted message (no earlier worker is free)."""
        with self._cond:
            if self._closing or self.clock.paused:
                return False
            unfree = {*self._held, *self._full, *self._waiters}
            return self.delivery.may_take(message_id, threading.get_ident(), unfree)

    def took(self, message_id: str) -> None:
        """A worker thread took the message: it is busy with it from now on."""
        with self._cond:
            self.delivery.taken(message_id)
            self._busy.add(threading.get_ident())

    def consume(self, queue: str, thread_ident: int) -> None:
        """Say that a worker thread consumes `queue`, so messages granted there will be taken."""
        with self._cond:
            self.delivery.consume(queue, thread_ident)

    def stop_consuming(self, thread_ident: int) -> None:
        """A worker thread stopped: messages granted to its queues will wait there."""
        with self._cond:
            self.delivery.stop_consuming(thread_ident)
            self._busy.discard(thread_ident)
            self._cond.notify_all()

    def hand_off(self, count: int) -> None:
        """`count` more (or fewer) tasks a free pool thread is to take up: the run waits for it."""
        with self._cond:
            self._handed_off += count

    def prefetch_full(self, full: bool | None) -> None:
        """The calling worker may take nothing now (True: prefetch full) or may; None: an ack."""
        with self._cond:
            self._full -= set(self._full) if full is None else {threading.get_ident()}
            if full:  # it is idle
                self._full.add(threading.get_ident())
                self._busy.discard(threading.get_ident())
                self.delivery.wake_takers()
                self._cond.notify_all()

    def expect(self, count: int) -> None:
        """`count` more (negative: fewer) things happen on their own later (a timer entry due, a
        beat service running): the run is not finished meanwhile."""
        with self._cond:
            self._timed = max(0, self._timed + count)
            self._cond.notify_all()

    def take_turn(self, beside_sample: bool = False) -> None:
        """The calling thread moves on its own (a timer or beat entry fell due): on its turn, it
        is busy. `beside_sample`: task bodies running meanwhile do not delay it (beat's way)."""
        with self._cond:
            self._take_turn(spare=self._in_sample if beside_sample else ())

    @contextmanager
    def waiting(self, ready: Callable[[], bool], deadline: float | None = None) -> Iterator[None]:
        """The calling thread waits until `ready()` (a result came) or `deadline` (`clock.now()`
        scale; the run is not finished meanwhile); then it takes its turn to go on."""
        me = threading.get_ident()
        with self._cond:
            self._waiters[me] = ready
            if deadline is not None:
                self._deadlines[me] = deadline
            self._busy.discard(me)
            self.delivery.wake_takers()
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                try:
                    self._take_turn()
                finally:
                    self._waiters.pop(me, None)
                    self._deadlines.pop(me, None)
                    self._busy.add(me)

    @property
    def closing(self) -> bool:
        """True once the run is closing: holds no longer park anyone."""
        return self._closing

    @contextmanager
    def in_sample(self) -> Iterator[None]:
        """The calling thread runs the sample's own code (a statement, a task body) meanwhile."""
        me = threading.get_ident()
        with self._cond:
            self._in_sample[me] = self._in_sample.get(me, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                depth = self._in_sample.pop(me, 1) - 1
                if depth:
                    self._in_sample[me] = depth

    def runs_sample(self, ident: int) -> bool:
        """Whether thread `ident` runs the sample's own code now (and is not parked)."""
        with self._cond:
            return ident in self._in_sample and ident not in self._held

    def fail(self, error: EngineError) -> None:
        """The run cannot go on (the sample went past a limit): every advance raises `error`."""
        with self._cond:
            self._failure = self._failure or error
            self._cond.notify_all()

    def quiet_token(self) -> int | None:
        """`moves` when no thread of the run but the calling one is moving or waiting for its
        turn (what the outside world holds now is what it holds when the run settles, if `moves`
        is the same then); None otherwise. A thread that is to move later (a waiter whose result
        came, a worker to take a granted message) counts a move before it does anything."""
        me = threading.get_ident()
        with self._cond:
            if self._busy - {me} or self._wanting or self._handed_off > 0:
                return None
            return self._busy.moves

    @property
    def moves(self) -> int:
        """How many times a thread of the run started to move so far (granted, took a message,
        took its turn, started work), or a stop that parks no thread was reached."""
        return self._busy.moves

    # ----------------------------------------------------------------- the learner's side
    @property
    def current(self) -> Stop | None:
        """The stop the run is held at now (None before the first advance)."""
        with self._cond:
            return self._current.stop if self._current else None

    def advance(self, timeout: float = 10.0) -> Stop:
        """Let the current stop go on, wait until the run settles, and return the next stop (or
        raise RunStalled after `timeout` s, RunClosed, or the failure the run `fail`ed with)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._check()
            self.clock.resume()
            self.delivery.wake_takers()  # a worker that looked while the run was paused
            current = self._current
            if current is not None:
                if current.stop.stage is Stage.FINISHED:
                    if not self._pending and not self._unsettled():
                        self.clock.pause()
                        return current.stop
                else:
                    self._last_stage = current.stop.stage
                    self._grant(current)
            self._current = None
            while True:
                self._check()
                if not self._unsettled():
                    if not self._pending and not self._timed and not self._deadlines:
                        stop = self._new_stop(Stage.FINISHED, dict(FINISHED_INFO))
                        self._pending.append(Reached(stop, None))
                    if self._pending:
                        break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._stalled(timeout)
                self._cond.wait(min(remaining, 0.05))
            self.clock.pause()
            fresh = [reached for reached in self._pending if not reached.read]
            for reached in fresh:
                reached.read = True
        if fresh and self.on_settled is not None:
            self.on_settled([reached.stop for reached in fresh])  # nothing moves meanwhile
        with self._cond:
            self._check()
            self._current = self._pending.popleft()
            return self._current.stop

    def close(self) -> frozenset[int]:
        """Release every parked thread (their holds raise RunClosed) and refuse new holds.

        Returns the threads running the sample's own code at that moment (neither parked nor
        waiting for a result): those may never come back, and are not to be waited for."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            return frozenset(
                ident
                for ident in self._in_sample
                if ident not in self._held and ident not in self._waiters
            )
