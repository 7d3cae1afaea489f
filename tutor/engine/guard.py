"""What keeps a broken sample from breaking the tutor: the words of the stage time limit, and
letting go of threads stuck in the sample's own code when the run closes.

Python cannot kill a thread. A thread still running the sample's code when its run closes (a task
body in `while True: pass` or `time.sleep(60)`, a caller line that blocks) is not waited for: it is
a daemon thread, the run records that it cut it off, and `CutOff` is raised into it
asynchronously, so a pure-Python loop ends at its next bytecode (a sleep ends when it returns).
What the thread does afterwards touches only its own, closed run: its app, broker store and result
store are that run's, and its signals and log records are ignored by every other run.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Iterable
from typing import Any

from .errors import CutOff, RunStalled
from .stages import CALLER_THREAD, Stage
from .trace import Trace
from .where import Running, running_in, task_codes

CLOSE_GRACE = 0.05
"""How long a closing run lets threads in the sample's code end on their own before it lets go."""


class Guard:
    """Reads where a run's threads are in the sample, for the stall error and the cut-off."""

    def __init__(self, *, filename: str, trace: Trace, app_ref: Callable[[], Any]) -> None:
        self._filename = filename
        self._trace = trace
        self._app_ref = app_ref

    def doing(self, ident: int) -> Running | None:
        """What thread `ident` runs of the sample now (None: not the sample's code)."""
        app = self._app_ref()
        codes = task_codes(list(app.tasks.items())) if app is not None else {}
        return running_in(ident, self._filename, codes)

    def describe(self, ident: int) -> str | None:
        """ "the task body of tasks.add (line 5)" / "line 9 (the main app)" for thread `ident`."""
        running = self.doing(ident)
        if running is None:
            return None
        return running.describe(self._trace.thread_name(ident), CALLER_THREAD)

    def stalled(self, busy: list[int], stage: Stage | None, limit: float) -> RunStalled:
        """The error for a run that did not reach its next stop within `limit` seconds."""
        after = "" if stage is None else f" (after stage '{stage.value}')"
        for ident in busy:
            running = self.doing(ident)
            if running is not None:
                what = running.describe(self._trace.thread_name(ident), CALLER_THREAD)
                return RunStalled(
                    f"{self._filename}: {what} ran past the {limit:g} s limit for one stage{after}",
                    stage=None if stage is None else stage.value,
                    line=running.line,
                    task_name=running.task_name,
                    limit=limit,
                )
        names = ", ".join(self._trace.thread_name(ident) for ident in busy) or "the run"
        return RunStalled(
            f"{self._filename}: {names} did not reach the next stop within the {limit:g} s limit "
            f"for one stage{after}",
            stage=None if stage is None else stage.value,
            limit=limit,
        )

    def cut_off(self, stuck: Iterable[int], runs_sample: Callable[[int], bool]) -> frozenset[int]:
        """Record and let go of the threads still running the sample's code as the run closes,
        after a short grace (a statement or body that was about to end is not cut off). Returns
        the threads let go of: not to be waited for."""
        left = {ident for ident in stuck if runs_sample(ident)}
        deadline = time.monotonic() + CLOSE_GRACE
        while left and time.monotonic() < deadline:
            time.sleep(0.005)
            left = {ident for ident in left if runs_sample(ident)}
        for ident in left:
            what = self.describe(ident)
            if what is None:  # it left the sample's code meanwhile: it ends on its own
                continue
            self._trace.record(
                "run",
                "cut-off",
                summary=f"the run was closed while {what} was running; its thread "
                f"({self._trace.thread_name(ident)}) is left to end on its own",
                data={"thread": self._trace.thread_name(ident)},
            )
            interrupt(ident)
        return frozenset(left)


def interrupt(ident: int) -> bool:
    """Raise CutOff in thread `ident` at its next bytecode (a blocking call ends first)."""
    found = ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(CutOff)
    )
    return bool(found == 1)
