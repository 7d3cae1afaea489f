"""The lesson's panels as one widget: sample, flow, timeline, table, canvas, tracker, hood.

Set `view` (the run and the stop on screen) and each panel draws again only if what it shows
changed. The full layout is the lesson screen's; `presenter=True` keeps the three panels an
instructor shows a class (flow, table, under the hood).
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget

from ...content.models import Lesson
from ...player.navigator import View
from ...render.canvas import canvas_graph, uses_canvas
from ...render.flow import flow_diagram
from ...render.hood import under_the_hood
from ...render.sample import current_line, sample_code
from ...render.table import execution_table
from ...render.timeline import call_bars, timeline
from ...render.tracker import variable_tracker
from .panel import Panel

NARROW_WIDTH = 110
"""Below this width the sample goes above the flow instead of beside it."""
TIMELINE_LABELS = 26
"""Columns the timeline's lane labels take."""


class LessonPanels(Widget):
    """Every panel of a lesson, drawn from one `View`."""

    DEFAULT_CSS = "LessonPanels { height: auto; }"

    view: reactive[View] = reactive(View(None, -1), init=False)
    """The run and the stop on screen."""

    def __init__(self, lesson: Lesson, *, presenter: bool = False) -> None:
        super().__init__()
        self.lesson = lesson
        self.presenter = presenter
        self.own_title = lesson.title
        """The title of the lesson the panels were made for."""

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        flow = Panel(f"Concept flow - {lesson.title}", self._draw_flow, id="flow")
        table = Panel("Execution table", self._draw_table, id="table")
        hood = Panel("Under the hood", self._draw_hood, id="hood")
        canvas = Panel("Canvas: chains, groups and chords", self._draw_canvas, id="canvas")
        canvas.display = False
        if self.presenter:
            yield from (flow, table, canvas, hood)
            return
        with Horizontal(classes="row", id="top-row"):
            yield Panel("Execution sample", self._draw_sample, id="sample")
            with Vertical(id="flow-and-time"):
                yield flow
                yield Panel(
                    "Timeline: the main app and the worker", self._draw_timeline, id="timeline"
                )
        yield table
        yield canvas
        with Horizontal(classes="row"):
            yield Panel("Variable tracker", self._draw_tracker, id="tracker")
            yield hood

    def on_mount(self) -> None:
        self._fill(self.view)

    def show_lesson(self, lesson: Lesson, view: View) -> None:
        """Draw another lesson's run in the same panels (a variant with steps of its own, or the
        lesson again): its code, table and tracker, with the panels' titles saying which."""
        self.lesson = lesson
        if not self.presenter:
            sample = self.query_one("#sample", Panel)
            sample.border_title = Text(
                "Execution sample" if lesson.title == self.own_title else lesson.title
            )
        self.view = view
        self._fill(view)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self._fill(self.view)

    def watch_view(self, view: View) -> None:
        """Hand each panel its part of the view; unchanged parts are not drawn again."""
        self._fill(view)

    def _fill(self, view: View) -> None:
        snapshot = view.snapshot
        parts: dict[str, Any] = {
            "flow": snapshot,
            "table": (view.lesson_run, view.steps_shown, view.current_row),
            "hood": snapshot,
        }
        if not self.presenter:
            timeline_panel = self.query_one("#timeline", Panel)
            width = max(20, (timeline_panel.size.width or self.size.width) - TIMELINE_LABELS)
            code = self.lesson.sample.code
            parts["sample"] = (code, current_line(code, snapshot))
            parts["timeline"] = (snapshot, width)
            parts["tracker"] = (view.lesson_run, view.steps_shown)
        canvas = self.query_one("#canvas", Panel)
        canvas.display = uses_canvas(snapshot)
        if canvas.display:
            parts["canvas"] = snapshot
        for panel_id, data in parts.items():
            self.query_one(f"#{panel_id}", Panel).data = data

    # ------------------------------------------------------------------ what each panel draws
    def _draw_flow(self, snapshot: Any) -> RenderableType:
        return flow_diagram(self.lesson, snapshot, compact=True)

    def _draw_sample(self, data: tuple[str, int | None]) -> RenderableType:
        code, line = data
        return sample_code(self.lesson, line, code)

    def _draw_table(self, data: tuple[Any, int, int | None]) -> RenderableType:
        lesson_run, steps, current = data
        results = lesson_run.results[:steps] if lesson_run is not None else []
        return execution_table(self.lesson, results, current)

    def _draw_tracker(self, data: tuple[Any, int]) -> RenderableType:
        lesson_run, steps = data
        if lesson_run is None:
            return Text("starting a real Celery app…", style="dim")
        return variable_tracker(lesson_run, steps)

    def _draw_canvas(self, snapshot: Any) -> RenderableType:
        return canvas_graph(snapshot)

    def _draw_hood(self, snapshot: Any) -> RenderableType:
        return under_the_hood(snapshot, boxed=False)

    def _draw_timeline(self, data: tuple[Any, int]) -> RenderableType:
        snapshot, width = data
        parts: list[RenderableType] = [timeline(snapshot, width=width)]
        if snapshot is not None and len(snapshot.calls) > 1:
            parts.append(Text("Each call of the main app, side by side:", style="bold"))
            parts.append(call_bars(snapshot, width=max(10, width - 40)))
        return Group(*parts)
