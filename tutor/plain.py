"""Plain mode: the lesson page printed with Rich, or narrated sentence by sentence. No Textual."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TextIO

from rich.console import Console, RenderableType
from rich.text import Text

from .content.models import Lesson, Quiz
from .defaults import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from .engine import EngineError
from .player.lesson_run import LessonMismatch, LessonRun
from .player.quiz import real_answers
from .player.whatif import run_key_moment_variants
from .render.narrate import canvas_narration, sentence
from .render.page import lesson_page, quiz_section


def lesson_parts(
    lesson: Lesson, quiz: Quiz | None, err: TextIO, answers: bool = False
) -> list[RenderableType] | None:
    """Run the lesson for real and return every section of its page (None when it could not be
    played: the reason is one line on `err`)."""
    progress = Console(file=err)
    try:
        status = progress.status(f"Running lesson {lesson.id!r} on a real Celery app…")
        with status, LessonRun(lesson) as lesson_run:
            lesson_run.play_all()
            outcomes = run_key_moment_variants(lesson)
    except (EngineError, LessonMismatch) as exc:
        print(f"tutor: the lesson {lesson.id!r} could not be played: {exc}", file=err)
        return None
    quiz_answers = real_answers(lesson, quiz) if answers and quiz is not None else None
    return list(lesson_page(lesson_run, quiz, outcomes, answers=quiz_answers))


def print_lesson_page(
    lesson: Lesson,
    quiz: Quiz | None,
    out: TextIO,
    err: TextIO,
    width: int | None = None,
    answers: bool = False,
) -> int:
    """Run the lesson for real, then print every section of its page."""
    parts = lesson_parts(lesson, quiz, err, answers)
    if parts is None:
        return EXIT_FAILED
    console = Console(file=out, width=width)
    for part in parts:
        console.print(part)
    return EXIT_OK


def check_writable(path: Path) -> str | None:
    """Why a handout cannot be written at `path` (None when it can), before the run starts."""
    if path.is_dir():
        return f"cannot write {path}: it is a folder (name a file, like {path / 'lesson.html'})"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"cannot write {path}: there is no folder {folder}"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"cannot write {path}: permission denied"
    return None


def write_handouts(
    lesson: Lesson,
    quiz: Quiz | None,
    targets: dict[str, Path],
    out: TextIO,
    err: TextIO,
    width: int | None = None,
    answers: bool = False,
) -> int:
    """Write the whole lesson page, with the real run's values, as HTML and/or SVG files
    (`targets`: "html" or "svg" → path), with Rich's own export."""
    for path in targets.values():
        problem = check_writable(path)
        if problem is not None:
            print(f"tutor: {problem}", file=err)
            return EXIT_USAGE
    parts = lesson_parts(lesson, quiz, err, answers)
    if parts is None:
        return EXIT_FAILED
    console = Console(record=True, file=io.StringIO(), width=width or 100, color_system="truecolor")
    for part in parts:
        console.print(part)
    title = f"{lesson.title} - Celery tutor"
    for kind, path in targets.items():
        text = (
            console.export_html(clear=False)
            if kind == "html"
            else console.export_svg(title=title, clear=False)
        )
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"tutor: cannot write {path}: {exc.strerror}", file=err)
            return EXIT_FAILED
        print(f"wrote {path} (lesson {lesson.id!r}, values from a real run)", file=out)
    return EXIT_OK


def narrate_lesson(lesson: Lesson, out: TextIO) -> int:
    """Print each stop of the real run as one sentence, and each step as it completes."""
    print(f"Lesson {lesson.id}: {lesson.title}.", file=out)
    try:
        with LessonRun(lesson) as lesson_run:
            previous = None
            while not lesson_run.steps_complete:
                result = lesson_run.next_step()
                for snapshot in result.stops:
                    print(sentence(snapshot), file=out, flush=True)
                    for line in canvas_narration(previous, snapshot):
                        print(line, file=out, flush=True)
                    previous = snapshot
                print(
                    f"Step {result.index} of {len(lesson.steps)}: {result.action}. "
                    f"{result.evaluation}. {result.result}.",
                    file=out,
                    flush=True,
                )
    except (EngineError, LessonMismatch) as exc:
        print(f"The lesson could not be played: {exc}", file=out)
        return EXIT_FAILED
    return EXIT_OK


def print_quiz(lesson: Lesson, quiz: Quiz, out: TextIO, err: TextIO, answers: bool) -> int:
    """Print a lesson's quiz; with `answers`, the answers too (read from a real run)."""
    console = Console(file=out)
    quiz_answers = None
    if answers:
        try:
            with Console(file=err).status(f"Running lesson {lesson.id!r} for the real answers…"):
                quiz_answers = real_answers(lesson, quiz)
        except (EngineError, LessonMismatch, ValueError) as exc:
            print(f"tutor: the answers could not be read from a real run: {exc}", file=err)
            return EXIT_FAILED
    console.print(Text(f"Quiz - {lesson.title}", style="bold underline"))
    console.print(quiz_section(lesson, quiz, quiz_answers))
    return EXIT_OK
