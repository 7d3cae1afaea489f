"""The teacher's commands: `tutor check` a course, `tutor new` a lesson, `tutor schema` a format."""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path

import click

from ..content.errors import content_root
from ..defaults import BROKER_ENV, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from . import TutorError, broker_option, content_option, stage_timeout_option, streams

NEW_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _real_broker_lessons() -> list[str] | None:
    """With --broker: the lessons marked real_broker (the others do not run there); else all."""
    if not os.environ.get(BROKER_ENV):
        return None
    from ..content.loader import load_course

    return [lesson.id for lesson in load_course().lessons if lesson.real_broker]


@click.command()
@click.argument("lessons", nargs=-1, metavar="[LESSON]...")
@content_option
@stage_timeout_option
@broker_option
def check(lessons: tuple[str, ...]) -> int:
    """Check a course: every file, then every lesson replayed on real Celery.

    Validates every lesson and quiz file, then replays each lesson (all of them unless you name
    some): every step is reached, every placeholder has a real value, every prediction's real
    answer is among its choices, every ordering's stages happen, every variant runs to its end.
    Exit status 0 only when every lesson passes.
    """
    from rich.console import Console

    from ..player.check import check_course
    from ..render.check import check_table

    out, err = streams().out, streams().err
    progress = Console(file=err)
    with progress.status("Loading the course…") as status:

        def replaying(done: int, total: int, lesson_id: str) -> None:
            status.update(f"Replaying {lesson_id!r} on real Celery ({done + 1} of {total})…")

        reports = check_course(content_root(), list(lessons) or _real_broker_lessons(), replaying)
    # a file or a pipe (CI logs) gets full lines: every problem must stay whole to be read
    wide = None if out.isatty() else 160
    Console(file=out, width=wide).print(check_table(reports), soft_wrap=not out.isatty())
    failed = [report for report in reports if not report.passed]
    if failed:
        problems = sum(len(report.problems) for report in failed)
        print(f"tutor: {problems} problem(s) in {len(failed)} part(s) of the course", file=err)
        return EXIT_FAILED
    return EXIT_OK


@click.command()
@click.argument("lesson_id", metavar="ID")
@content_option
def new(lesson_id: str) -> int:
    """Write a new lesson and its quiz that play as they are.

    Writes lessons/ID.toml and quizzes/ID.toml (a small working sample, every section present
    with text for you to replace) into the course folder (--content, else $TUTOR_CONTENT, else the
    current folder), and adds ID to lessons/index.toml. Refuses to overwrite.
    """
    if not NEW_ID.match(lesson_id):
        raise TutorError(
            f"{lesson_id!r} cannot be a lesson id: use lowercase letters, digits and '-'",
            EXIT_USAGE,
        )
    root = _authoring_root()
    if root.is_file():
        raise TutorError(f"{root} is a file: give --content a course folder", EXIT_USAGE)
    lesson_file = root / "lessons" / f"{lesson_id}.toml"
    quiz_file = root / "quizzes" / f"{lesson_id}.toml"
    for path in (lesson_file, quiz_file):
        if path.exists():
            raise TutorError(f"{path} already exists: nothing was written")
    index = root / "lessons" / "index.toml"
    order = _read_order(index)
    if lesson_id in order:
        raise TutorError(f"{index} already lists {lesson_id!r}: nothing was written")
    templates = files("tutor") / "templates"
    for path, template in ((lesson_file, "lesson.toml"), (quiz_file, "quiz.toml")):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (templates / template).read_text(encoding="utf-8")
        path.write_text(text.replace("__ID__", lesson_id), encoding="utf-8")
    _write_schemas(root / "schema")
    _write_order(index, [*order, lesson_id])
    out = streams().out
    print(f"wrote {lesson_file} and {quiz_file}; {index} now lists {lesson_id!r}", file=out)
    content = f" --content {root}" if root != Path.cwd() else ""
    print(f"next: tutor check{content}   then   tutor run {lesson_id}{content} --plain", file=out)
    return EXIT_OK


@click.command()
@click.argument("kind", type=click.Choice(["lesson", "quiz"]))
def schema(kind: str) -> int:
    """Print the JSON Schema of a lesson or quiz file (generated from the models).

    TOML editors that read a '#:schema' line (taplo, Even Better TOML) complete and check fields
    with it: 'tutor schema lesson > schema/lesson.schema.json'.
    """
    from ..content.schema import schema_text

    streams().out.write(schema_text(kind))
    return EXIT_OK


def _authoring_root() -> Path:
    """Where `tutor new` writes: --content / $TUTOR_CONTENT, else the current folder."""
    from ..content.errors import CONTENT_ENV

    chosen = os.environ.get(CONTENT_ENV)
    return Path(chosen) if chosen else Path.cwd()


def _read_order(index: Path) -> list[str]:
    if not index.exists():
        return []
    import tomllib

    try:
        data = tomllib.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TutorError(f"{index}: cannot be read ({exc}); nothing was written") from None
    order = data.get("order", [])
    if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
        raise TutorError(f"{index}: order: should be a list of lesson ids; nothing was written")
    return list(order)


def _write_order(index: Path, order: list[str]) -> None:
    """Write the index's order; an index that has one keeps everything else (its chapters), and
    the new last lesson joins the last chapter."""
    listed = ", ".join(f'"{lesson_id}"' for lesson_id in order)
    text = index.read_text(encoding="utf-8") if index.exists() else ""
    line = re.compile(r"^order\s*=\s*\[[^\]\n]*\][ \t]*$", re.MULTILINE)
    if line.search(text):
        text = line.sub(lambda _: f"order = [{listed}]", text, count=1)
        chapters = text.rfind("[[chapters]]")
        last = re.compile(r"^(lessons\s*=\s*\[[^\]\n]*?)\s*\][ \t]*$", re.MULTILINE)
        found = last.search(text, chapters) if chapters >= 0 else None
        if found is not None:
            joined = f'{found.group(1)}, "{order[-1]}"]'
            text = text[: found.start()] + joined + text[found.end() :]
        index.write_text(text, encoding="utf-8")
        return
    index.write_text(
        "# The order of the course. Each id names lessons/<id>.toml "
        "(and quizzes/<id>.toml if it has a quiz).\n"
        f"format_version = 1\norder = [{listed}]\n",
        encoding="utf-8",
    )


def _write_schemas(folder: Path) -> None:
    """The JSON Schemas the new files' '#:schema' lines point at (kept current on each `new`)."""
    from ..content.schema import schema_text

    folder.mkdir(parents=True, exist_ok=True)
    for kind in ("lesson", "quiz"):
        (folder / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
