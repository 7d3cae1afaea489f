"""The recorder: the taps of one run, wired to its trace, conductor and ledger.

It is what the broker store, the worker timers, the app's tasks and results, Celery's signals and
Celery's logger report to, each through its own tap (see `tutor.engine.taps`). Each report becomes
a trace event (with its time and thread), updates the task's record in the ledger, and, where the
learner should look, parks the thread at a stage (the conductor).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from .conductor import Conductor
from .ledger import Ledger
from .taps import BeatTap, BrokerTap, LogTap, SignalTap, TapContext, TaskTap, TimerTap
from .trace import Trace

_run_numbers = itertools.count(1)


class RunRecorder:
    """One run's trace, conductor and ledger, and the taps that feed them."""

    def __init__(
        self,
        app_ref: Callable[[], Any],
        *,
        filename: str = "<sample>",
        max_messages: int = 100,
        sample_scope: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.run_number = next(_run_numbers)
        self.trace = Trace()
        self.conductor = Conductor(self.trace)
        self.ledger = Ledger()
        self.context = context = TapContext(
            self.trace, self.conductor, self.ledger, app_ref, filename, max_messages, sample_scope
        )
        self.broker_tap = BrokerTap(context)
        """Reported to by the run's broker store (a `BrokerListener`)."""
        self.timer_tap = TimerTap(context)
        """Reported to by the workers' timers (a `TimerListener`)."""
        self.task_tap = TaskTap(context)
        """Reported to by the app's tasks and results (the app's `RunHooks`)."""
        self.signal_tap = SignalTap(context, uid=f"tutor-run-{self.run_number}")
        self.log_tap = LogTap(context)
        self.beat_tap = BeatTap(context)
        """Reported to by the run's beat services (a `BeatListener`)."""

    def connect(self) -> None:
        """Listen to Celery's signals and its logger for this run."""
        self.signal_tap.connect()
        self.log_tap.attach()

    def disconnect(self) -> None:
        """Stop listening (at teardown)."""
        self.signal_tap.disconnect()
        self.log_tap.detach()
