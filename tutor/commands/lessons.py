"""The learner's commands: list the lessons, open the home screen, play a lesson, take a quiz."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..defaults import BROKER_ENV, EXIT_FAILED, EXIT_OK, EXIT_USAGE, PACE_DEFAULT
from . import (
    LESSON_HELP,
    TutorError,
    broker_option,
    content_option,
    lesson_argument,
    open_store,
    open_ui,
    saved_options,
    stage_timeout_option,
    streams,
)


@click.command("list")
@content_option
def list_lessons() -> int:
    """List the lessons, one a line, id first."""
    from ..content.loader import load_course  # pydantic: only for the commands that validate

    course = load_course()
    out = streams().out
    width = max(len(lesson_id) for lesson_id in course.ids)
    for lesson in course:
        print(
            f"{lesson.id:<{width}}  {lesson.title}  ({lesson.level}, {lesson.duration})", file=out
        )
    return EXIT_OK


@click.command()
@saved_options
@content_option
@stage_timeout_option
@broker_option
def home(data_dir: Path | None, learner: str | None) -> int:
    """Open the lesson list (what plain 'tutor' does)."""
    return open_ui(open_store(data_dir, learner))


def _check_real_broker(lesson_id: str) -> None:
    """With --broker, the lesson must say it runs on a real broker (else one clear line)."""
    from ..content.loader import load_course

    if not load_course().lesson(lesson_id).real_broker:
        raise TutorError(
            f"the lesson {lesson_id!r} does not run on a real broker (its real_broker is false); "
            "play it without --broker",
            EXIT_FAILED,
        )


@click.command(epilog=LESSON_HELP)
@click.argument("lesson")
@click.option(
    "--plain",
    is_flag=True,
    help="Print the whole lesson page (every section, values from the real run) and exit.",
)
@click.option(
    "--narrate",
    is_flag=True,
    help="Print each stage of the real run as one plain sentence (screen readers, logs).",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Write the whole lesson page (values from the real run) to an HTML file: a handout.",
)
@click.option(
    "--svg",
    "svg_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="The same handout as an SVG picture.",
)
@click.option(
    "--answers", is_flag=True, help="With --plain, --html or --svg: the quiz answers too."
)
@click.option(
    "--width",
    type=int,
    default=None,
    metavar="COLUMNS",
    help="With --plain, --html or --svg: page width.",
)
@click.option(
    "--pace",
    type=float,
    default=PACE_DEFAULT,
    show_default=True,
    metavar="SECONDS",
    help="Seconds between stages when autoplay (key a) is on; + and - change it live.",
)
@saved_options
@content_option
@stage_timeout_option
@broker_option
def run(
    lesson: str,
    plain: bool,
    narrate: bool,
    html_file: Path | None,
    svg_file: Path | None,
    answers: bool,
    width: int | None,
    pace: float,
    data_dir: Path | None,
    learner: str | None,
) -> int:
    """Play a lesson on a real Celery app.

    A real in-memory Celery app runs the lesson's sample, stage by stage: in the terminal UI,
    or printed with --plain or --narrate, or written as a handout with --html or --svg.
    'tutor LESSON' is short for 'tutor run LESSON'.
    """
    lesson = lesson_argument(lesson)
    handouts = {kind: path for kind, path in (("html", html_file), ("svg", svg_file)) if path}
    if os.environ.get(BROKER_ENV):
        _check_real_broker(lesson)
    if not (narrate or plain or handouts):
        return open_ui(open_store(data_dir, learner), lesson, pace)
    from ..content.loader import load_course

    course = load_course()
    found = course.lesson(lesson)
    out, err = streams().out, streams().err
    if handouts:
        from ..plain import write_handouts

        code = write_handouts(found, course.quiz(found.id), handouts, out, err, width, answers)
        if code != EXIT_OK or not (plain or narrate):
            return code
    if narrate:
        from ..plain import narrate_lesson

        return narrate_lesson(found, out)
    from ..plain import print_lesson_page

    return print_lesson_page(found, course.quiz(found.id), out, err, width, answers)


@click.command(epilog=LESSON_HELP)
@click.argument("lesson", required=False)
@click.option(
    "--chapter",
    type=int,
    default=None,
    metavar="N",
    help="Instead of a lesson's quiz: chapter N's mixed quiz, the predictions of all its lessons.",
)
@click.option("--plain", is_flag=True, help="Print the questions and exit.")
@click.option(
    "--answers",
    is_flag=True,
    help="With --plain: the answers and explanations too (read from a real run).",
)
@saved_options
@content_option
@stage_timeout_option
@broker_option
def quiz(
    lesson: str | None,
    chapter: int | None,
    plain: bool,
    answers: bool,
    data_dir: Path | None,
    learner: str | None,
) -> int:
    """Take a lesson's quiz, or a chapter's mixed quiz.

    Predictions and orderings are graded against what a real Celery run of the lesson does.
    With --chapter N: the predictions of every lesson of chapter N, mixed, each graded against
    a fresh real run of its lesson (the home screen lists each chapter's quiz after its lessons).
    """
    if chapter is not None:
        if lesson is not None or plain:
            raise TutorError("--chapter takes no LESSON and no --plain", EXIT_USAGE)
        from .study import chapter_number

        number = chapter_number(chapter)
        return open_ui(open_store(data_dir, learner), mode={"kind": "chapter", "chapter": number})
    if lesson is None:
        raise TutorError("name a LESSON, or a chapter with --chapter N", EXIT_USAGE)
    lesson = lesson_argument(lesson)
    if not plain:
        from ..content.summary import check_lesson_id, read_summaries

        check_lesson_id(read_summaries(), lesson)
        return open_ui(open_store(data_dir, learner), lesson, quiz=True)
    from ..content.loader import load_course
    from ..plain import print_quiz

    course = load_course()
    found = course.lesson(lesson)
    questions = course.quiz(found.id)
    if questions is None:
        raise TutorError(f"lesson {found.id!r} has no quiz")
    return print_quiz(found, questions, streams().out, streams().err, answers)
