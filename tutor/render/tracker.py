"""The variable tracker: each tracked variable's value after chosen steps of the real run."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from ..player.context import UNDEFINED, fill
from ..player.lesson_run import LessonRun
from .table import literal

CHANGED_MARK = " *"
"""Appended to a value that changed since the column before (not colour alone)."""


def tracker_rows(lesson_run: LessonRun, reached: int | None = None) -> list[list[str]]:
    """Values per variable and column; columns past `reached` steps are blank."""
    reached = len(lesson_run.results) if reached is None else reached
    rows = []
    for variable in lesson_run.lesson.variables:
        row = []
        for column in lesson_run.lesson.tracker:
            if column.after_step > reached:
                row.append("")
            else:
                row.append(lesson_run.tracker_value(variable.name, column.after_step))
        rows.append(row)
    return rows


def variable_tracker(lesson_run: LessonRun, reached: int | None = None) -> Table:
    """The tracker table; a value that changed since the previous column is bold and starred."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        expand=True,
        caption="* changed since the column before",
        caption_justify="left",
    )
    table.add_column("Variable", no_wrap=True)
    for column in lesson_run.lesson.tracker:
        table.add_column(literal(column.label))
    for variable, values in zip(
        lesson_run.lesson.variables, tracker_rows(lesson_run, reached), strict=True
    ):
        cells: list[Text] = []
        previous = str(UNDEFINED)
        for value in values:
            changed = value not in ("", previous)
            if changed:
                cells.append(Text(value + CHANGED_MARK, style="bold"))
            else:
                cells.append(Text(value, style="dim" if value == str(UNDEFINED) else ""))
            if value:
                previous = value
        table.add_row(literal(variable.name), *cells)
    return table


def compare_tracker(
    what_if: LessonRun, baseline: LessonRun | None, reached: int, label: str = "this what-if"
) -> Table:
    """A what-if's tracked values at the row on screen beside the lesson's run's (as far as it
    got); a value that differs is bold and marked ≠."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, expand=True)
    table.add_column("Variable", no_wrap=True)
    table.add_column("The lesson's run")
    table.add_column(literal(label))
    for variable in what_if.lesson.variables:
        theirs = str(UNDEFINED)
        if baseline is not None and baseline.results:
            theirs = baseline.tracker_value(variable.name, len(baseline.results))
        mine = str(UNDEFINED)
        if 0 < reached <= len(what_if.results):
            context = what_if.results[reached - 1].context_for(variable.task)
            mine = fill(variable.value, context, missing=str(UNDEFINED))
        cell = Text(mine + " ≠", style="bold yellow") if mine != theirs else Text(mine)
        table.add_row(literal(variable.name), Text(theirs, style="dim"), cell)
    return table
