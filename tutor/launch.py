"""What every way of starting the tutor shares, without click: streams, errors, the store, the UI.

Plain `tutor` (the first screen) goes straight through here, so the command-line parser is not on
the path to the first paint; every other command goes through the click group in
`tutor.commands`, which uses the same pieces.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from .content.errors import ContentError, UnknownLesson
from .defaults import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, PACE_DEFAULT
from .progress.errors import ProgressError

if TYPE_CHECKING:
    from .progress.store import ProgressStore


class TutorError(Exception):
    """A failure the command reports as one line, `tutor: MESSAGE`, with an exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class Streams(NamedTuple):
    """Where the commands write: standard output and standard error (tests pass their own)."""

    out: TextIO
    err: TextIO


def failure_line(exc: BaseException) -> tuple[str, int] | None:
    """A learner's mistake or a broken file as (one line, exit status); None for a bug."""
    if isinstance(exc, UnknownLesson):
        return str(exc), EXIT_USAGE
    if isinstance(exc, ContentError):
        return f"the course content is broken:\n{exc}", EXIT_FAILED
    if isinstance(exc, ProgressError):
        return str(exc), EXIT_FAILED
    if isinstance(exc, TutorError):
        return str(exc), exc.code
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_INTERRUPTED
    return None


def open_store(data_dir: Path | None, learner: str | None, err: TextIO) -> ProgressStore:
    """The learner's progress store; a broken file was moved aside: say so once, on `err`."""
    from .progress.store import ProgressStore

    store = ProgressStore.open(data_dir, learner)
    if store.notice:
        print(f"tutor: {store.notice}", file=err)
    return store


def open_ui(
    store: ProgressStore,
    lesson_id: str | None = None,
    pace: float = PACE_DEFAULT,
    quiz: bool = False,
    mode: dict[str, Any] | None = None,
) -> int:
    """Run the Textual interface (on the home screen, or on a lesson, or in a study mode:
    `mode` holds the fields of an `OpenMode` message, e.g. {"kind": "review"}).

    Only the lesson list is read before the first paint; the course is validated right after.
    """
    from .content.summary import check_lesson_id, read_summaries

    summaries = read_summaries()
    if lesson_id is not None:
        check_lesson_id(summaries, lesson_id)
    if not needs_no_terminal() and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise TutorError(
            "the lesson screen needs a terminal (standard input and output); "
            "'tutor run LESSON --plain' prints a lesson instead",
            EXIT_USAGE,
        )
    from .ui.app import TutorApp
    from .ui.messages import OpenMode

    opened = None if mode is None else OpenMode(**mode)
    app = TutorApp(
        None, lesson_id, pace=pace, summaries=summaries, progress=store, quiz=quiz, mode=opened
    )
    app.run()
    return app.return_code or EXIT_OK


def needs_no_terminal() -> bool:
    """True when Textual draws elsewhere than this terminal (`tutor serve`'s web driver)."""
    return bool(os.environ.get("TEXTUAL_DRIVER"))


def first_screen(where: Streams) -> int:
    """Plain `tutor`: the lesson list, with the default learner and data folder."""
    try:
        return open_ui(open_store(None, None, where.err))
    except (ContentError, ProgressError, TutorError, KeyboardInterrupt) as exc:
        line = failure_line(exc)
        assert line is not None
        print(f"tutor: {line[0]}", file=where.err)
        return line[1]
