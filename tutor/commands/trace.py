"""`tutor trace FILE`: a developer's own Celery tasks, played stage by stage on a real run."""

from __future__ import annotations

import os
import shlex
import tempfile
from pathlib import Path

import click

from ..defaults import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from . import TutorError, open_ui, stage_timeout_option, streams

TRACE_EPILOG = """\b
examples:
  tutor trace tasks.py --call 'mul.delay(6, 7)'            the lesson screen, stage by stage
  tutor trace tasks.py --call 'chain(add.s(1, 2), mul.s(10)).delay()' --plain
  tutor trace tasks.py                 the calls of its if __name__ == "__main__": block
  tutor trace tasks.py --call 'add.delay(2, 3)' --export-lesson my-lesson.toml
"""


@click.command(epilog=TRACE_EPILOG)
@click.argument("file", metavar="FILE")
@click.option(
    "--call",
    "calls",
    multiple=True,
    metavar="EXPR",
    help="A statement the main app runs, e.g. 'add.delay(2, 3)' (repeatable; delay, "
    "apply_async, signatures, chain/group/chord). Default: the file's __main__ block.",
)
@click.option("--plain", is_flag=True, help="Print the whole trace as a lesson page and exit.")
@click.option("--narrate", is_flag=True, help="Print each stage as one plain sentence.")
@click.option(
    "--export-lesson",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="OUT.toml",
    help="Write the trace as a lesson file (and OUT.quiz.toml, a quiz stub) that 'tutor "
    "check' accepts, for a teacher to edit.",
)
@click.option(
    "--width", type=int, default=None, metavar="COLUMNS", help="With --plain: page width."
)
@stage_timeout_option
def trace(
    file: str,
    calls: tuple[str, ...],
    plain: bool,
    narrate: bool,
    export_lesson: Path | None,
    width: int | None,
) -> int:
    """Play your own Celery tasks stage by stage.

    FILE is your module as it is (an app = Celery(...) with @app.task tasks, @shared_task
    tasks, or both; its sibling modules import from its folder). Your app runs on the tutor's
    in-memory broker and result backend: the broker and backend URLs in FILE are never
    contacted; every other setting of yours (routes, queues, serializer, acks_late...) is kept.
    """
    from ..engine import EngineError
    from ..player.trace_source import TraceInputError, read_source

    if export_lesson is not None and export_lesson.suffix != ".toml":
        raise TutorError(f"--export-lesson {export_lesson}: the lesson file must end in .toml", 2)
    try:
        source = read_source(file, calls)
        from rich.console import Console

        from ..player.trace_lesson import trace_lesson, trace_quiz, trace_run

        with Console(file=streams().err).status(f"Tracing {file} on a real Celery app…"):
            traced = trace_run(source)
    except TraceInputError as exc:
        raise TutorError(str(exc), exc.code) from None
    except EngineError as exc:
        said = str(exc).replace(str(source.path), file)
        said = said.replace("the sample defines no task", "it defines no Celery task")
        raise TutorError(said, EXIT_FAILED) from None
    from pydantic import ValidationError

    try:
        lesson = trace_lesson(traced, _lesson_id(export_lesson))
    except ValidationError as exc:
        said = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise TutorError(
            f"{file}: cannot be played as a lesson ({said}); trace the module that defines "
            "the tasks",
            EXIT_FAILED,
        ) from None
    out, err = streams().out, streams().err
    if export_lesson is not None:
        from ..player.trace_export import write_lesson

        try:
            written = write_lesson(lesson, trace_quiz(lesson), export_lesson)
        except OSError as exc:
            raise TutorError(
                f"--export-lesson {export_lesson}: cannot be written ({exc})"
            ) from None
        print(f"wrote {written[0]} and {written[1]}", file=out)
        print(f"next: tutor check --content {shlex.quote(str(written[0]))}", file=out)
        if not (plain or narrate):
            return EXIT_OK
    if narrate:
        from ..plain import narrate_lesson

        return narrate_lesson(lesson, out)
    if plain:
        from ..plain import print_lesson_page

        return print_lesson_page(lesson, None, out, err, width)
    return _open_screen(lesson)


def _lesson_id(export: Path | None) -> str | None:
    """The exported file's name as the lesson id (a course wants them equal), when it is one."""
    from ..content.files import id_problem

    if export is None or id_problem(export.stem) is not None:
        return None
    return export.stem


def _open_screen(lesson: object) -> int:
    """The trace in the lesson screen: a one-lesson course in a temporary folder."""
    from ..content.errors import CONTENT_ENV
    from ..content.models import Lesson
    from ..launch import open_store
    from ..player.trace_export import lesson_toml

    assert isinstance(lesson, Lesson)
    with tempfile.TemporaryDirectory(prefix="tutor-trace-") as folder:
        written = Path(folder) / f"{lesson.id}.toml"  # no quiz: the stub is for --export-lesson
        written.write_text(lesson_toml(lesson), encoding="utf-8")
        before = os.environ.get(CONTENT_ENV)
        os.environ[CONTENT_ENV] = str(written)
        try:
            store = open_store(Path(folder) / "progress", None, streams().err)
            return open_ui(store, lesson.id)
        finally:
            if before is None:
                os.environ.pop(CONTENT_ENV, None)
            else:
                os.environ[CONTENT_ENV] = before


__all__ = ["EXIT_USAGE", "trace"]
