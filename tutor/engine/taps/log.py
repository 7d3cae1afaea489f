"""The log tap: hears Celery's logger (warnings and errors; a worker crash is otherwise silent)."""

from __future__ import annotations

import logging

from .base import TapContext


class LogTap(logging.Handler):
    """A logging handler on the `celery` logger that records warnings and errors of the run."""

    def __init__(self, context: TapContext) -> None:
        super().__init__(level=logging.WARNING)
        self.context = context

    def attach(self) -> None:
        """Start listening to Celery's logger."""
        logging.getLogger("celery").addHandler(self)

    def detach(self) -> None:
        """Stop listening."""
        logging.getLogger("celery").removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        """Record a warning or error logged in one of the run's threads."""
        trace = self.context.trace
        if not trace.owns_current_thread():
            return
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        trace.record(
            "log", record.levelname.lower(), summary=message.splitlines()[0] if message else ""
        )


_QUIET = logging.NullHandler()


def quiet_celery_loggers() -> None:
    """Give the celery and kombu loggers a handler that drops records (idempotent; a run calls
    it when it starts).

    Celery and kombu log from the workers' threads; with no handler, Python would print to
    stderr, which is where a terminal UI draws. Each run's LogTap catches what matters.
    """
    for name in ("celery", "kombu"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.handlers:
            logger.addHandler(_QUIET)
