"""What `tutor check` prints: one row per part of the course, then every problem on its own line."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..player.check import LessonCheck


def check_table(reports: Sequence[LessonCheck]) -> Group:
    """The table (lesson, what was checked, time, ✔ or ✘ with the first problem), then each
    problem as one line: `✘ FILE: FIELD: what is wrong` (never read as markup)."""
    table = Table(title="tutor check", title_justify="left")
    table.add_column("lesson", style="bold", no_wrap=True)
    table.add_column("checked")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True, overflow="ellipsis", max_width=60)
    problems: list[Text] = []
    for report in reports:
        if report.passed:
            verdict = Text("✔ passed", style="green")
        else:
            verdict = Text(f"✘ {report.problems[0]}", style="red")
            problems += [Text(f"✘ {problem}", style="red") for problem in report.problems]
        table.add_row(
            Text(report.lesson_id),
            Text(", ".join(report.checked) or "-"),
            Text(f"{report.seconds:.1f} s" if report.seconds else "-"),
            verdict,
        )
    return Group(table, *problems)
