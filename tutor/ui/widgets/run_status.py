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
from .redraw import update_in_place

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
    text = position_marks(view, total_steps)
    where = "" if snapshot.stop.thread in ("", "-") else f" in {snapshot.stop.thread}"
    text.append(f"  {snapshot.stage}{where} — {snapshot.stop.detail}")
    if snapshot.calls and snapshot.calls[-1].at_commit:
        text.append(" · the main app is about to COMMIT, waiting: the workers go first", "italic")
    if not view.at_live_end:
        text.append("  (replay)", style="dim")
    autoplay = f" · autoplay every {frame.pace:g} s" if frame.autoplaying else ""
    done = ""
    if lesson_run.finished and view.at_live_end:
        done = " · run finished: r restarts, esc goes home"
    if autoplay or done:
        text.append(f"   [{(autoplay + done).lstrip(' ·')}]", style="dim")
    return text


STEP_MARK = "◆"
"""A stop where a step (a table row) ends."""
STOP_MARK = "●"
"""A stop between two steps."""


def position_marks(view: View, total_steps: int) -> Text:
    """The one position indicator: "Step N/M" (the table's row), then the stops from that step
    to the next as a row of marks, the one on screen lit; "…" while the run has more to reach."""
    lesson_run = view.lesson_run
    assert lesson_run is not None
    results = lesson_run.results
    done = view.steps_shown
    total = str(total_steps) if total_steps else (str(len(results)) if lesson_run.finished else "…")
    label = (
        f"Step {done}/{total}"
        if view.current_row is not None
        else f"Step {done}→{done + 1}/{total}"
    )
    if done == 0:
        label = f"Step 0→1/{total}"
    text = Text()
    text.append(f" {label} ", style="bold reverse")
    first = results[done - 1].stop_index if done else 0
    last = results[done].stop_index if done < len(results) else len(lesson_run.stops) - 1
    step_stops = {result.stop_index for result in results}
    text.append(" ")
    for index in range(first, last + 1):
        mark = STEP_MARK if index in step_stops else STOP_MARK
        text.append(mark, style="bold yellow reverse" if index == view.position else "dim")
        if index < last:
            text.append("─", style="dim")
    if done >= len(results) and not lesson_run.finished:
        text.append("─…", style="dim")
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
        update_in_place(self, status_text(frame, len(lesson.steps), elapsed))
