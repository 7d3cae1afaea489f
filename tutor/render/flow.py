"""The concept flow: boxes and arrows from defining a task to storing its result, stage lit."""

from __future__ import annotations

from collections.abc import Callable

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..content.models import FlowBox, Lesson, stop_matches
from ..engine import Snapshot

LIT_STYLE = "bold black on yellow"
LIT_MARK = "▶ "


def box_lit(flow_box: FlowBox, snapshot: Snapshot | None) -> bool:
    """Whether the run's current stop lights this box."""
    if snapshot is None:
        return False
    return any(stop_matches(p, snapshot.stage, snapshot.stop.thread) for p in flow_box.stages)


def _box(flow_box: FlowBox, lit: bool) -> Panel:
    label = Text((LIT_MARK if lit else "") + flow_box.label, justify="center")
    return Panel(
        label,
        box=box.HEAVY if lit else box.ROUNDED,
        style=LIT_STYLE if lit else "",
        padding=(0, 0),
    )


def _compact_box(flow_box: FlowBox, lit: bool, action: str | None = None) -> Text:
    label = (LIT_MARK if lit else "") + flow_box.label
    style = Style.parse(LIT_STYLE if lit else "reverse")
    if action is not None:
        style += Style(meta={"@click": action})
    return Text(label, style=style, justify="center")


def flow_diagram(
    lesson: Lesson,
    snapshot: Snapshot | None = None,
    vertical: bool = False,
    compact: bool = False,
    link: Callable[[FlowBox], str | None] | None = None,
) -> RenderableType:
    """The diagram: main chain of boxes joined by arrows; side-lane boxes beneath it.

    `vertical` stacks the boxes (the printed page); `compact` draws them as filled blocks, no
    borders (the lesson screen, where height is scarce); `link(box)` names the action a click
    on a compact box runs (None: that box is not clickable).
    """
    main = [b for b in lesson.flow if b.lane == "main"]
    side = [b for b in lesson.flow if b.lane == "side"]
    parts: list[RenderableType] = []
    if vertical:
        chain = Table.grid()
        chain.add_column()
        for index, flow_box in enumerate(main):
            chain.add_row(_box(flow_box, box_lit(flow_box, snapshot)))
            if index < len(main) - 1:
                chain.add_row(Text("↓", justify="center"))
        parts.append(chain)
    else:
        chain = Table.grid(expand=True)
        for index in range(len(main)):
            chain.add_column(ratio=1)
            if index < len(main) - 1:
                chain.add_column(width=1, vertical="middle")
        cells: list[RenderableType] = []
        for index, flow_box in enumerate(main):
            lit = box_lit(flow_box, snapshot)
            action = link(flow_box) if link is not None else None
            cells.append(_compact_box(flow_box, lit, action) if compact else _box(flow_box, lit))
            if index < len(main) - 1:
                cells.append(Text("→", style="bold"))
        chain.add_row(*cells)
        parts.append(chain)
    for flow_box in side:
        lit = box_lit(flow_box, snapshot)
        line = Text("  ⇢ ", style="bold")
        line.append(
            (LIT_MARK if lit else "") + flow_box.label, style=LIT_STYLE if lit else "italic"
        )
        line.append("  (beside the chain, at the same time)", style="dim")
        parts.append(line)
    return Group(*parts)
