"""Taps: where a run hears Celery. Each tap listens at one seam and writes trace and ledger.

- `BrokerTap`: the run's broker store (puts, takes, acks) and the queue gate;
- `TimerTap`: the workers' timers (countdown/ETA entries);
- `TaskTap`: the task bodies and result waits (the app's task and result classes);
- `SignalTap`: Celery's signals;
- `LogTap`: Celery's logger (warnings and errors, a worker crash);
- `BeatTap`: the run's celery beat services (each due entry they send).
"""

from __future__ import annotations

from .base import TapContext
from .beat import BeatTap
from .broker import BrokerTap
from .log import LogTap
from .signals import SignalTap
from .tasks import TaskTap
from .timer import TimerTap

__all__ = ["BeatTap", "BrokerTap", "LogTap", "SignalTap", "TapContext", "TaskTap", "TimerTap"]
