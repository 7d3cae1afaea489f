"""The status line above a lesson: where the run is, what it just did, and what keys do next."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from ...content.models import Lesson
from ...player.navigator import View
from .frame import Frame

SHOW_ELAPSED_AFTER = 1.0
"""Seconds the run may take to reach its next stop before the status line counts them."""


def status_text(frame: Frame, total_steps: int, elapsed: float | None = None) -> Text:
    """One line: the stop on screen and its detail, the step count, autoplay and the end;
    while the run takes long to reach its next stop, the `elapsed` seconds."""
    if frame.failure:
        return Text(f"✖ {frame.failure} — press r to restart", style="bold red")
    view = frame.view
    lesson_run = view.lesson_run
    if lesson_run is None:
        return Text("Starting a real Celery app…", style="italic")
    if frame.busy and frame.waiting_left is not None:
        return Text(
            f"⏳ {frame.waiting_on}: {frame.waiting_left:.1f} s left "
            "(a real wait, in the run's own time)",
            style="italic",
        )
    if frame.busy and elapsed is not None and elapsed >= SHOW_ELAPSED_AFTER:
        return Text(
            f"⏳ the real run is moving to its next stage: {elapsed:.1f} s so far "
            "(real code running; q quits at once)",
            style="italic",
        )
    if frame.busy:
        return Text("⏳ the real run is moving to its next stage…", style="italic")
    snapshot = view.snapshot
    if snapshot is None:
        return Text("Ready: a real Celery app is waiting. Press → to start, ? for help.")
    live = "" if view.at_live_end else " (replay)"
    text = Text(f"Stage {view.position + 1}{live}: ", style="bold")
    where = "" if snapshot.stop.thread in ("", "-") else f" in {snapshot.stop.thread}"
    text.append(f"{snapshot.stage}{where} — {snapshot.stop.detail}")
    if snapshot.calls and snapshot.calls[-1].at_commit:
        text.append(" · the main app is about to COMMIT, waiting: the workers go first", "italic")
    autoplay = f" · autoplay every {frame.pace:g} s" if frame.autoplaying else ""
    done = ""
    if lesson_run.finished and view.at_live_end:
        done = " · run finished: r restarts, esc goes home"
    text.append(f"   [step {view.steps_shown}/{total_steps}{autoplay}{done}]", style="dim")
    return text


class RunStatus(Static):
    """The status line, drawn from the driver's frame."""

    frame: reactive[Frame] = reactive(Frame(View(None, -1)))
    """The driver's state to describe."""

    def __init__(self, lesson: Lesson) -> None:
        super().__init__(id="status")
        self.lesson = lesson
        self._busy_since: float | None = None
        self._ticker: Timer | None = None

    def watch_frame(self, frame: Frame) -> None:
        """Say where the run is now; while it moves on, count the seconds it takes."""
        if frame.busy and self._busy_since is None:
            self._busy_since = time.monotonic()
            self._ticker = self.set_interval(0.5, self._draw)
        elif not frame.busy and self._ticker is not None:
            self._ticker.stop()
            self._ticker, self._busy_since = None, None
        self._draw()

    def _draw(self) -> None:
        frame = self.frame
        lesson_run = frame.view.lesson_run
        lesson = lesson_run.lesson if lesson_run is not None else self.lesson
        since = self._busy_since
        elapsed = None if since is None else time.monotonic() - since
        self.update(status_text(frame, len(lesson.steps), elapsed))
