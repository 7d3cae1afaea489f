"""Errors the engine raises to its users (the UI, the plain renderer, the tests).

Each error's text is one line a learner can read; the facts it names are attributes too, so a
command such as `tutor check` can show them its own way.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine reports."""


class RunClosed(EngineError):
    """The run was closed while a thread was held; that thread stops its work."""


class RunStalled(EngineError):
    """The run did not reach its next stop within the stage time limit; the message says who was
    still busy, at which line of the sample, and at which stage the run was."""

    def __init__(
        self,
        message: str,
        *,
        stage: str | None = None,
        line: int | None = None,
        task_name: str | None = None,
        limit: float | None = None,
    ) -> None:
        super().__init__(message)
        self.stage = stage
        """The stage the run had been let go on from (None before the first stop)."""
        self.line = line
        """The line of the sample running when the time ran out, when known."""
        self.task_name = task_name
        """The task whose body was running, when it was a task body."""
        self.limit = limit
        """The limit, in seconds."""


class SampleError(EngineError):
    """The sample code could not be parsed, its definitions raised, it defines no task, or it went
    past a limit of the run (too many messages)."""

    def __init__(self, message: str, *, line: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        """The line of the sample concerned, when known."""
        self.error = error
        """The exception the sample raised, as "Type: message", when there was one."""


class TaskBodyExit(Exception):
    """A task body raised SystemExit or KeyboardInterrupt. In a worker process that would end the
    process; an in-thread worker records it as the task's failure instead, and lives on."""


class CutOff(BaseException):
    """Raised (asynchronously) into a thread the run abandoned while it ran sample code, so a loop
    that never returns ends at its next bytecode. A BaseException: the sample's `except Exception`
    does not swallow it. The engine's thread mains catch it; nothing reports it."""
