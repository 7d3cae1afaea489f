"""Messages the engine's thread workers post back to the UI (the UI never waits on Celery)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..engine import Snapshot
from ..player.lesson_run import LessonRun


@dataclass
class RunReady(Message):
    """A lesson's real run started and waits at its first stage."""

    lesson_run: LessonRun


@dataclass
class StopReached(Message):
    """The real run reached its next stop."""

    lesson_run: LessonRun
    snapshot: Snapshot


@dataclass
class RunFailed(Message):
    """The run could not go on; the text says why in plain words."""

    lesson_run: LessonRun | None
    reason: str


@dataclass
class VariantDone(Message):
    """A what-if variant ran to its end (snapshot), or could not (reason)."""

    name: str
    snapshot: Snapshot | None
    reason: str | None = None
