"""The execution table: one row per step, its cells filled from the real run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich import box
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..content.models import Lesson
from ..player.lesson_run import StepResult

CURRENT_STYLE = "bold reverse"
UPCOMING_STYLE = "italic"
"""The row the run is on its way to (between two steps): lit, less than a row reached."""
DIFFERS_MARK = "≠"
"""Marks a what-if's row that differs from the lesson's run (not colour alone)."""
DIFFERS_STYLE = "bold yellow"


def literal(text: str, style: str = "") -> Text:
    """An author's text as written: "[bold]" is not Rich markup (a str cell would be parsed)."""
    return Text(text, style=style)


def execution_table(
    lesson: Lesson,
    results: Sequence[StepResult],
    current: int | None = None,
    hinted: int | None = None,
    *,
    upcoming: str | None = None,
    differences: Mapping[int, Mapping[str, str]] | None = None,
    link: Callable[[int], str] | None = None,
) -> Table:
    """Rows for the steps reached so far; the current one (1-based) marked, a hinted one too.

    `upcoming` (between two steps: where the run is) adds the next row, lit, its cells not yet
    filled, so the row lights with the flow box and the sample's line; `differences` marks a
    what-if's rows that differ from the lesson's run (the current row's, in words, as caption);
    `link(n)` is an action name a click on row n runs (the screen's "jump to step n").
    """
    differences = differences or {}
    caption: Text | None = None
    if len(results) == len(lesson.steps) and lesson.table_note:
        caption = literal(f"💡 {lesson.table_note}", "table.caption")
    if current is not None and current in differences:
        said = "; ".join(f"{name}: {value}" for name, value in differences[current].items())
        caption = literal(f"{DIFFERS_MARK} differs from the lesson's run here: {said}", "yellow")
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, expand=True, caption=caption,
        caption_justify="left",
    )  # fmt: skip
    table.add_column("Step", width=4, no_wrap=True)
    table.add_column("Action", ratio=3)
    table.add_column("Evaluation", ratio=3)
    table.add_column("Result", ratio=4)
    for result in results:
        index = result.index
        marker = "▶" if index == current else " "
        if index == hinted:
            marker = "?"
        style = CURRENT_STYLE if index == current else ""
        if index == hinted and index != current:
            style = "bold underline"
        if index in differences:
            marker = DIFFERS_MARK if marker == " " else marker
            if index != current and differences[index] != differences.get(index - 1):
                style = DIFFERS_STYLE
        row_style = Style.parse(style) if style else Style()
        if link is not None:
            row_style += Style(meta={"@click": link(index)})
        table.add_row(
            Text(f"{marker}{index}"),
            literal(result.action),
            literal(result.evaluation),
            literal(result.result),
            style=row_style,
        )
    if upcoming is not None:
        index = len(results) + 1
        lit = Style.parse(UPCOMING_STYLE)
        if link is not None:
            lit += Style(meta={"@click": link(index)})
        table.add_row(Text(f"▷{index}"), literal(upcoming), Text("…"), Text("…"), style=lit)
    return table
