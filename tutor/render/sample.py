"""The execution sample: the code that actually runs, with the line running now marked."""

from __future__ import annotations

from rich.console import RenderableType
from rich.syntax import Syntax

from ..content.models import Lesson


def sample_code(lesson: Lesson, line: int | None = None, code: str | None = None) -> RenderableType:
    """The sample (or a variant's code) with line numbers; `line` highlighted when given."""
    return Syntax(
        (code or lesson.sample.code).rstrip("\n"),
        "python",
        line_numbers=True,
        highlight_lines={line} if line else None,
        theme="ansi_dark",
        word_wrap=True,
    )
