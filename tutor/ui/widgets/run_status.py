"""The status line above a lesson: where the run is, what it just did, and what keys do next."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ...content.models import Lesson
from ...player.navigator import View
from .frame import Frame


def status_text(frame: Frame, total_steps: int) -> Text:
    """One line: the stop on screen and its detail, the step count, autoplay and the end."""
    if frame.failure:
        return Text(f"✖ {frame.failure} — press r to restart", style="bold red")
    view = frame.view
    lesson_run = view.lesson_run
    if lesson_run is None:
        return Text("Starting a real Celery app…", style="italic")
    if frame.busy and frame.waiting_left is not None:
        return Text(
            f"⏳ the worker's timer is counting down: {frame.waiting_left:.1f} s left "
            "(a real wait, in the run's own time)",
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

    def watch_frame(self, frame: Frame) -> None:
        """Say where the run is now."""
        lesson_run = frame.view.lesson_run
        lesson = lesson_run.lesson if lesson_run is not None else self.lesson
        self.update(status_text(frame, len(lesson.steps)))
