"""What every tap shares: the run's trace, conductor, ledger and app, and the wording helpers."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from ..conductor import Conductor
from ..ledger import Ledger
from ..records import plain
from ..trace import Trace


@dataclass(frozen=True)
class TapContext:
    """The parts of a run a tap writes to, and a way to reach the run's app."""

    trace: Trace
    conductor: Conductor
    ledger: Ledger
    app_ref: Callable[[], Any]
    """Returns the run's Celery app (None before it is built)."""
    filename: str = "<sample>"
    """The name the sample's code is compiled under (to find its lines in frames)."""
    max_messages: int = 100
    """Most task messages the run publishes."""
    sample_scope: Callable[[], AbstractContextManager[None]] = nullcontext
    """Entered around each task body (a Django run: the thread's own database connection)."""
    lost: set[str] = field(default_factory=set)
    """Workers stopped while they ran a task: their task threads go no further."""

    @property
    def app(self) -> Any:
        """The run's Celery app."""
        return self.app_ref()

    def ours(self, task: Any) -> bool:
        """Whether `task` (a signal's sender) belongs to this run's app."""
        return getattr(task, "app", None) is self.app

    def bind(self, name: str, args: Any, kwargs: Any) -> dict[str, Any]:
        """Arguments by the task's parameter names (arg0, arg1... when it cannot be told)."""
        args = tuple(args or ())
        kwargs = dict(kwargs or {})
        try:
            bound = inspect.signature(self.app.tasks[name].run).bind_partial(*args, **kwargs)
            values = dict(bound.arguments)
        except (KeyError, TypeError, ValueError):
            values = {f"arg{i}": value for i, value in enumerate(args)} | kwargs
        return {key: plain(value) for key, value in values.items()}


def args_text(args: Any, kwargs: Any) -> str:
    """A call's arguments as a learner would write them: "(4, 6, retry=True)"."""
    parts = [repr(arg) for arg in (args or ())]
    parts += [f"{key}={value!r}" for key, value in (kwargs or {}).items()]
    return f"({', '.join(parts)})"
