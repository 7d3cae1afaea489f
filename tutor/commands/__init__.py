"""The `tutor` commands, one declaration each, and what they share: streams, errors, options.

Nothing heavy is imported here: every command imports Textual, Celery or pydantic inside its own
function, only when it runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import launch
from ..defaults import BROKER_ENV, EXIT_FAILED, EXIT_USAGE, STAGE_TIMEOUT_ENV
from ..launch import Streams, TutorError, open_ui

__all__ = [
    "LESSON_HELP",
    "Streams",
    "TutorError",
    "broker_option",
    "content_option",
    "lesson_argument",
    "open_store",
    "open_ui",
    "saved_options",
    "stage_timeout_option",
]

if TYPE_CHECKING:
    from ..progress.store import ProgressStore

F = TypeVar("F", bound=Callable[..., Any])

LESSON_HELP = "LESSON is a lesson id (see 'tutor list'), or the path of one lesson .toml file."


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


def _set_content(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        from ..content.errors import CONTENT_ENV

        os.environ[CONTENT_ENV] = str(value.resolve())


def content_option(command: F) -> F:
    """Add --content: a course folder (lessons/index.toml, lessons/, quizzes/) or one lesson file
    to use instead of the built-in course (the same as $TUTOR_CONTENT)."""
    return click.option(
        "--content",
        type=click.Path(path_type=Path),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_content,
        metavar="PATH",
        help="A course folder (lessons/, quizzes/) or one lesson .toml file to use instead of "
        "the built-in course (default: $TUTOR_CONTENT).",
    )(command)


def _set_stage_timeout(_ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
    if value is not None:
        if value <= 0:
            raise click.BadParameter("must be more than 0 seconds")
        os.environ[STAGE_TIMEOUT_ENV] = repr(value)


def stage_timeout_option(command: F) -> F:
    """Add --stage-timeout: the longest a sample's code may take between two stops."""
    return click.option(
        "--stage-timeout",
        type=float,
        default=None,
        expose_value=False,
        callback=_set_stage_timeout,
        metavar="SECONDS",
        help="Longest a task body or a line of the sample may run before the next stage "
        "(default: $TUTOR_STAGE_TIMEOUT, else 10).",
    )(command)


def _set_broker(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    from ..engine.realbroker.server import BrokerUnavailable, resolve

    try:
        url = resolve(value)
    except BrokerUnavailable as exc:
        raise TutorError(str(exc), EXIT_FAILED) from None
    os.environ[BROKER_ENV] = url


def broker_option(command: F) -> F:
    """Add --broker: play on a real Redis broker with `celery worker` processes ('redis' starts a
    private redis-server; a redis:// URL uses yours). Only lessons marked real_broker."""
    return click.option(
        "--broker",
        default=None,
        expose_value=False,
        callback=_set_broker,
        metavar="redis|URL",
        help="Run on a real Redis broker with worker processes: 'redis' starts a private "
        "redis-server, a URL (redis://HOST:PORT/DB) uses yours (lessons marked real_broker).",
    )(command)


def lesson_argument(value: str) -> str:
    """A lesson id, or the path of one lesson file: then that file is the course, and its id
    is returned (`tutor run my-lesson.toml`)."""
    if not (value.endswith(".toml") or os.sep in value or "/" in value):
        return value
    path = Path(value)
    if not path.is_file():
        raise TutorError(f"{value}: no such lesson file", EXIT_USAGE)
    from ..content.errors import CONTENT_ENV
    from ..content.summary import read_summaries

    os.environ[CONTENT_ENV] = str(path.resolve())
    return read_summaries()[0].id


def open_store(data_dir: Path | None = None, learner: str | None = None) -> ProgressStore:
    """The learner's progress store; a broken file was moved aside: say so once, here."""
    return launch.open_store(data_dir, learner, streams().err)
