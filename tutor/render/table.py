"""The execution table: one row per step, its cells filled from the real run."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from ..content.models import Lesson
from ..player.lesson_run import StepResult

CURRENT_STYLE = "bold reverse"


def literal(text: str, style: str = "") -> Text:
    """An author's text as written: "[bold]" is not Rich markup (a str cell would be parsed)."""
    return Text(text, style=style)


def execution_table(
    lesson: Lesson,
    results: Sequence[StepResult],
    current: int | None = None,
    hinted: int | None = None,
) -> Table:
    """Rows for the steps reached so far; the current one (1-based) marked, a hinted one too."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        expand=True,
        caption=literal(f"💡 {lesson.table_note}", "table.caption")
        if len(results) == len(lesson.steps) and lesson.table_note
        else None,
        caption_justify="left",
    )
    table.add_column("Step", width=4, no_wrap=True)
    table.add_column("Action", ratio=3)
    table.add_column("Evaluation", ratio=3)
    table.add_column("Result", ratio=4)
    for result in results:
        marker = "▶" if result.index == current else " "
        if result.index == hinted:
            marker = "?"
        style = CURRENT_STYLE if result.index == current else ""
        if result.index == hinted and result.index != current:
            style = "bold underline"
        table.add_row(
            Text(f"{marker}{result.index}"),
            literal(result.action),
            literal(result.evaluation),
            literal(result.result),
            style=style,
        )
    return table
