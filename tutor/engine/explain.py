"""Plain-words explanations of the real errors a learner can meet in a run."""

from __future__ import annotations

from celery.exceptions import NotRegistered
from celery.exceptions import TimeoutError as CeleryTimeoutError

from .where import exception_text

_NO_BACKEND = "No result backend is configured"


def explain_exception(exc: BaseException) -> str:
    """The exception's own text, followed by what it means for the learner."""
    text = exception_text(exc)
    if isinstance(exc, NotImplementedError) and _NO_BACKEND in str(exc):
        return (
            f"{text.splitlines()[0]} — there is no result backend, so the task ran but its return "
            "value was stored nowhere: the caller cannot get it."
        )
    if isinstance(exc, CeleryTimeoutError):
        return f"{text} — the result did not arrive in time (is a worker running?)."
    if isinstance(exc, NotRegistered):
        return f"{text} — no task of that name is registered with this app."
    return text
