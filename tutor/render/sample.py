"""The execution sample: the code that actually runs, with the line running now marked."""

from __future__ import annotations

from rich.console import RenderableType
from rich.syntax import Syntax

from ..content.models import Lesson
from ..engine import Snapshot, Stage


def sample_code(
    lesson: Lesson,
    line: int | None = None,
    code: str | None = None,
    lines: tuple[int, int] | None = None,
) -> RenderableType:
    """The sample (or a variant's code) with line numbers; `line` highlighted when given; only
    `lines` (first, last) when given."""
    return Syntax(
        (code or lesson.sample.code).rstrip("\n"),
        "python",
        line_numbers=True,
        highlight_lines={line} if line else None,
        theme="ansi_dark",
        word_wrap=True,
        line_range=lines,
    )


def current_line(code: str, snapshot: Snapshot | None) -> int | None:
    """The sample line a stop is about: the caller's line, or the body of the task running."""
    if snapshot is None:
        return None
    stop = snapshot.stop
    if stop.line is not None:
        return stop.line
    lines = code.splitlines()
    if stop.task_name:
        function = stop.task_name.rsplit(".", 1)[-1]
        for number, text in enumerate(lines, start=1):
            if text.lstrip().startswith(f"def {function}("):
                if stop.stage in (Stage.EXECUTING, Stage.RETURNED, Stage.RAISED):
                    return min(number + 1, len(lines))
                break
    if snapshot.calls:
        return snapshot.calls[-1].line
    return None
