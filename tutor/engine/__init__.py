"""The engine: real Celery runs held one stage at a time. Imports neither Textual nor Rich.

Names are loaded lazily, so that importing a light module (stages, sample) does not import Celery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .beat_view import BeatEntryView
    from .config import BeatEntrySpec, BeatSpec, RunConfig, WorkerSpec
    from .errors import EngineError, RunClosed, RunStalled, SampleError, TaskBodyExit
    from .protocol import RunLike
    from .run import Run
    from .snapshot import (
        NOT_CONFIGURED,
        BackendView,
        CallView,
        MessageView,
        Snapshot,
        TaskView,
        TimerEntryView,
        WorkerView,
    )
    from .stages import CALLER_THREAD, Stage, Stop
    from .trace import TraceEvent

_WHERE = {
    "BeatEntrySpec": "config",
    "BeatEntryView": "beat_view",
    "BeatSpec": "config",
    "EngineError": "errors",
    "RunClosed": "errors",
    "RunStalled": "errors",
    "SampleError": "errors",
    "TaskBodyExit": "errors",
    "CALLER_THREAD": "stages",
    "Run": "run",
    "RunConfig": "config",
    "RunLike": "protocol",
    "WorkerSpec": "config",
    "NOT_CONFIGURED": "snapshot",
    "BackendView": "snapshot",
    "CallView": "snapshot",
    "MessageView": "snapshot",
    "Snapshot": "snapshot",
    "TaskView": "snapshot",
    "TimerEntryView": "snapshot",
    "WorkerView": "snapshot",
    "Stage": "stages",
    "Stop": "stages",
    "TraceEvent": "trace",
}

__all__ = [
    "CALLER_THREAD",
    "NOT_CONFIGURED",
    "BackendView",
    "BeatEntrySpec",
    "BeatEntryView",
    "BeatSpec",
    "CallView",
    "EngineError",
    "MessageView",
    "Run",
    "RunClosed",
    "RunConfig",
    "RunLike",
    "RunStalled",
    "SampleError",
    "Snapshot",
    "Stage",
    "Stop",
    "TaskBodyExit",
    "TaskView",
    "TimerEntryView",
    "TraceEvent",
    "WorkerSpec",
    "WorkerView",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
