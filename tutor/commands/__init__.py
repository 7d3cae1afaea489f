"""The `tutor` commands, one declaration each, and what they share: streams, errors, options.

Nothing heavy is imported here: every command imports Textual, Celery or pydantic inside its own
function, only when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from ..defaults import EXIT_FAILED, EXIT_OK, PACE_DEFAULT

if TYPE_CHECKING:
    from ..progress.store import ProgressStore

F = TypeVar("F", bound=Callable[..., Any])

LESSON_HELP = "LESSON is a lesson id (see 'tutor list')."


class TutorError(Exception):
    """A failure the command reports as one line, `tutor: MESSAGE`, with an exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Streams:
    """Where the commands write: standard output and standard error (tests pass their own)."""

    out: TextIO
    err: TextIO


def streams() -> Streams:
    """The running command's output streams (the process's own outside a `tutor` command)."""
    context = click.get_current_context(silent=True)
    found = context.find_object(Streams) if context is not None else None
    return found if found is not None else Streams(sys.stdout, sys.stderr)


def saved_options(command: F) -> F:
    """Add --data-dir and --learner: whose progress is read and written, and where."""
    command = click.option(
        "--learner",
        default=None,
        metavar="NAME",
        help="Whose progress (default: $TUTOR_LEARNER, else your login).",
    )(command)
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        metavar="DIR",
        help="Folder of the progress file (default: $TUTOR_DATA_DIR, else your user data folder).",
    )(command)


def open_store(data_dir: Path | None = None, learner: str | None = None) -> ProgressStore:
    """The learner's progress store; a broken file was moved aside: say so once, here."""
    from ..progress.store import ProgressStore

    store = ProgressStore.open(data_dir, learner)
    if store.notice:
        print(f"tutor: {store.notice}", file=streams().err)
    return store


def open_ui(
    store: ProgressStore,
    lesson_id: str | None = None,
    pace: float = PACE_DEFAULT,
    quiz: bool = False,
) -> int:
    """Run the Textual interface (on the home screen, or on a lesson).

    Only the lesson list is read before the first paint; the course is validated right after.
    """
    from ..content.summary import check_lesson_id, read_summaries
    from ..ui.app import TutorApp

    summaries = read_summaries()
    if lesson_id is not None:
        check_lesson_id(summaries, lesson_id)
    app = TutorApp(None, lesson_id, pace=pace, summaries=summaries, progress=store, quiz=quiz)
    app.run()
    return app.return_code or EXIT_OK
