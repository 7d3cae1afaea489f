"""The engine: real Celery runs held one stage at a time. Imports neither Textual nor Rich."""

from .errors import EngineError, RunClosed, RunStalled, SampleError
from .run import CALLER_THREAD, Run, RunConfig, WorkerSpec
from .snapshot import (
    NOT_CONFIGURED,
    BackendView,
    CallView,
    MessageView,
    Snapshot,
    TaskView,
    WorkerView,
)
from .stages import Stage, Stop
from .trace import TraceEvent

__all__ = [
    "CALLER_THREAD",
    "NOT_CONFIGURED",
    "BackendView",
    "CallView",
    "EngineError",
    "MessageView",
    "Run",
    "RunClosed",
    "RunConfig",
    "RunStalled",
    "SampleError",
    "Snapshot",
    "Stage",
    "Stop",
    "TaskView",
    "TraceEvent",
    "WorkerSpec",
    "WorkerView",
]
