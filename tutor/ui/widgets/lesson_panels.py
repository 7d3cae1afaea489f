"""The lesson's panels as one widget: sample, flow, timeline, table, canvas, tracker, hood.

Set `view` (the run and the stop on screen) and each panel draws again only if what it shows
changed. The full layout is the lesson screen's; `presenter=True` keeps the three panels an
instructor shows a class (flow, table, under the hood).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from ...content.models import FlowBox, Lesson
from ...player.navigator import View
from ...player.whatif_play import HOOD_FACTS, StopByStopRun, row_differences
from ...render.canvas import canvas_graph, uses_canvas
from ...render.flow import flow_diagram
from ...render.hood import under_the_hood
from ...render.sample import current_line, sample_code
from ...render.table import execution_table
from ...render.timeline import call_bars, timeline
from ...render.tracker import compare_tracker, variable_tracker
from .panel import Panel
from .redraw import drawing_options

NARROW_WIDTH = 110
"""Below this width the panels stack: flow, table, sample, tracker, hood, one under another."""
WIDE_WIDTH = 150
"""From this width the tracker and the hood go beside the table instead of under it."""
SAMPLE_WINDOW = 5
"""Stacked (a narrow terminal), the sample shows this many lines around the one running."""
SCROLL_PASSES = 2
"""Refreshes over which the current row is scrolled to again, while the layout settles."""
_ROW_START = re.compile(r"^\s?[▶▷≠? ]?(\d+)\s")
"""The first line of a table row, as drawn: its number in the Step column."""
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
        self.wanted_row: int | None = None
        """The table row to keep in view (`scroll_to_row`)."""
        self._spans_of: object = None
        """The table renderable `_spans` were read from (the object, not an id: ids are reused)."""
        self._spans_width = 0
        self._spans: dict[int, tuple[int, int]] = {}

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        flow = Panel(f"Concept flow - {lesson.title}", self._draw_flow, id="flow")
        table = Panel("Execution table", self._draw_table, id="table")
        hood = Panel("Under the hood (i: full ids and meta)", self._draw_hood, id="hood")
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
        with Horizontal(classes="row", id="body"):
            with Vertical(id="main-column"):
                yield table
                yield canvas
            with Horizontal(classes="row", id="side"):
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
        narrow = self.size.width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        self.set_class(self.size.width >= WIDE_WIDTH, "-wide")
        if not self.presenter:
            top = self.query_one("#top-row")
            sample, flow = self.query_one("#sample"), self.query_one("#flow-and-time")
            if narrow and top.children[0] is sample:
                top.move_child(sample, after=flow)  # stacked: where the run is comes first
            elif not narrow and top.children[0] is not sample:
                top.move_child(sample, before=flow)
        self._fill(self.view)
        self.call_after_refresh(self._scroll_to_wanted)  # the table grew, or the screen changed

    # ------------------------------------------------------------------ marks
    def mark(self, panel_ids: Iterable[str], css_class: str) -> None:
        """Give `css_class` to these panels (by id) and take it from every other one."""
        wanted = set(panel_ids)
        for panel in self.query(Panel):
            panel.set_class(panel.id in wanted, css_class)

    async def on_click(self, event: events.Click) -> None:
        """A click on the under-the-hood panel opens the full ids and meta."""
        if isinstance(event.widget, Panel) and event.widget.id == "hood" and not self.presenter:
            await self.run_action("screen.details")

    # ------------------------------------------------------------------ the current row in view
    def row_line(self, row: int) -> int | None:
        """The line where table row `row` starts inside the table panel's content (None: not
        drawn)."""
        span = self.row_span(row)
        return None if span is None else span[0]

    def row_span(self, row: int) -> tuple[int, int] | None:
        """The lines table row `row` takes inside the table panel's content: first, and one past
        its last (None: not drawn)."""
        return self._row_spans().get(row)

    def _row_spans(self) -> dict[int, tuple[int, int]]:
        """Every drawn table row's lines, from one render of the table as drawn now (kept until
        the table is drawn again or its width changes: scrolling asks several times a stop)."""
        table = self.query_one("#table", Panel)
        width = table.content_region.width or self.size.width
        if width <= 0:
            return {}
        if self._spans_of is table.drawn and self._spans_width == width:
            return self._spans
        options = drawing_options(table, width)  # Textual's: the drawing is reused
        lines = self.app.console.render_lines(table.drawn, options, pad=False)
        spans: dict[int, tuple[int, int]] = {}
        start: tuple[int, int] | None = None  # (row, first line) of the row being read
        for number, line in enumerate(lines):
            text = "".join(segment.text for segment in line)
            found = _ROW_START.match(text)
            if start is not None and (found is not None or not text.strip()):
                spans.setdefault(start[0], (start[1], number))
                start = None
            if found is not None:
                start = (int(found.group(1)), number)
        if start is not None:
            spans.setdefault(start[0], (start[1], len(lines)))
        self._spans_of, self._spans_width, self._spans = table.drawn, width, spans
        return spans

    def keep_in_view(self, row: int | None) -> None:
        """Keep table row `row` in view: now (after the next refresh) and after every resize."""
        self.wanted_row = row
        self.call_after_refresh(self._scroll_to_wanted)

    def _scroll_to_wanted(self, passes: int = SCROLL_PASSES) -> None:
        self.scroll_to_row(self.wanted_row)
        if passes > 1:  # again after the next layout: panels and the scroll range may still grow
            self.call_after_refresh(self._scroll_to_wanted, passes - 1)

    def scroll_to_row(self, row: int | None) -> None:
        """Scroll the screen so that table row `row` (else the one before it) is in view, in the
        middle of it when the panels are taller than the screen."""
        if row is None:
            return
        span = self.row_span(row) or (self.row_span(row - 1) if row > 1 else None)
        container = next(
            (
                a
                for a in self.ancestors
                if isinstance(a, Widget) and a.styles.overflow_y in ("auto", "scroll")
            ),
            None,
        )
        if span is None or container is None:
            return
        # where the row is in the container's content, from the layout (not from the screen,
        # which lags one refresh behind a scroll)
        widget: Widget = self.query_one("#table", Panel)
        top = widget.styles.gutter.top + span[0]
        while widget is not container and isinstance(widget.parent, Widget):
            top += widget.virtual_region.y
            widget = widget.parent
            if widget is not container:
                top += widget.styles.gutter.top
        region = Region(0, top, 1, span[1] - span[0])
        # centred, not the least move: where the row lands does not depend on where it was
        container.scroll_to_region(region, animate=False, immediate=True, center=True)

    def watch_view(self, view: View) -> None:
        """Hand each panel its part of the view; unchanged parts are not drawn again."""
        self._fill(view)

    def _fill(self, view: View) -> None:
        snapshot = view.snapshot
        parts: dict[str, Any] = {
            "flow": snapshot,
            "table": (view.lesson_run, view.steps_shown, view.current_row, snapshot),
            "hood": snapshot,
        }
        if not self.presenter:
            timeline_panel = self.query_one("#timeline", Panel)
            width = max(20, (timeline_panel.size.width or self.size.width) - TIMELINE_LABELS)
            code = self.lesson.sample.code
            parts["sample"] = (code, current_line(code, snapshot), self.has_class("-narrow"))
            parts["timeline"] = (snapshot, width)
            parts["tracker"] = (view.lesson_run, view.steps_shown)
        canvas = self.query_one("#canvas", Panel)
        canvas.display = uses_canvas(snapshot)
        if canvas.display:
            parts["canvas"] = snapshot
        for panel_id, data in parts.items():
            self.query_one(f"#{panel_id}", Panel).data = data
        self._mark_differences(view)

    def _mark_differences(self, view: View) -> None:
        """In a what-if played stop by stop: mark the panels whose values differ here from the
        lesson's run (the hood for queue, tasks, backend, workers; the timeline for the caller)."""
        lesson_run = view.lesson_run
        differing: set[str] = set()
        if isinstance(lesson_run, StopByStopRun) and view.steps_shown:
            here = row_differences(lesson_run).get(view.steps_shown, {})
            if HOOD_FACTS & set(here):
                differing.add("hood")
            if "the caller" in here or "stage" in here:
                differing.update({"timeline", "table"})
            if here:
                differing.add("table")
        self.mark(differing, "-differs")

    # ------------------------------------------------------------------ what each panel draws
    def _draw_flow(self, snapshot: Any) -> RenderableType:
        link = None if self.presenter else self._box_action
        return flow_diagram(self.lesson, snapshot, compact=True, link=link)

    def _box_action(self, flow_box: FlowBox) -> str | None:
        return f"screen.jump_to_box({self.lesson.flow.index(flow_box)})"

    def _draw_sample(self, data: tuple[str, int | None, bool]) -> RenderableType:
        code, line, narrow = data
        total = len(code.rstrip("\n").split("\n"))
        if narrow and line is not None and total > SAMPLE_WINDOW:
            first = max(1, min(line - SAMPLE_WINDOW // 2, total - SAMPLE_WINDOW + 1))
            return sample_code(self.lesson, line, code, lines=(first, first + SAMPLE_WINDOW - 1))
        return sample_code(self.lesson, line, code)

    def _draw_table(self, data: tuple[Any, int, int | None, Any]) -> RenderableType:
        lesson_run, steps, current, snapshot = data
        results = lesson_run.results[:steps] if lesson_run is not None else []
        upcoming = None
        if current is None and snapshot is not None and steps < len(self.lesson.steps):
            thread = snapshot.stop.thread
            where = "" if thread in ("", "-") else f" in {thread}"
            upcoming = f"on the way: {snapshot.stage}{where}"
        differences = row_differences(lesson_run) if isinstance(lesson_run, StopByStopRun) else {}
        link = None if self.presenter else (lambda row: f"screen.jump_to_step({row})")
        return execution_table(
            self.lesson, results, current, upcoming=upcoming, differences=differences, link=link
        )

    def _draw_tracker(self, data: tuple[Any, int]) -> RenderableType:
        lesson_run, steps = data
        if lesson_run is None:
            return Text("starting a real Celery app…", style="dim")
        if isinstance(lesson_run, StopByStopRun):
            return compare_tracker(lesson_run, lesson_run.baseline, steps)
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
