"""The `tutor` commands, one declaration each, and what they share: streams, errors, options.

Nothing heavy is imported here: every command imports Textual, Celery or pydantic inside its own
function, only when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import launch
from ..launch import Streams, TutorError, open_ui

__all__ = ["LESSON_HELP", "Streams", "TutorError", "open_store", "open_ui", "saved_options"]

if TYPE_CHECKING:
    from ..progress.store import ProgressStore

F = TypeVar("F", bound=Callable[..., Any])

LESSON_HELP = "LESSON is a lesson id (see 'tutor list')."


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
    return launch.open_store(data_dir, learner, streams().err)
