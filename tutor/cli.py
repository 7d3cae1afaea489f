"""The `tutor` command: lists lessons and plays them on a real Celery app.

Textual and Celery are imported only by the commands that need them, so `tutor list` and the
first screen stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .arguments import COMMANDS, build_parser
from .content.errors import ContentError, UnknownLesson
from .progress.errors import ProgressError

if TYPE_CHECKING:
    from .content.loader import Course
    from .progress.store import ProgressStore

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int, err: TextIO) -> int:
    print(f"tutor: {message}", file=err)
    return code


def cmd_list(course: Course, out: TextIO) -> int:
    """Print one lesson a line: id, title, level, duration."""
    width = max(len(lesson_id) for lesson_id in course.ids)
    for lesson in course:
        print(
            f"{lesson.id:<{width}}  {lesson.title}  ({lesson.level}, {lesson.duration})", file=out
        )
    return EXIT_OK


def cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Play a lesson: in the terminal UI, or in plain or narrated form."""
    if not (args.narrate or args.plain):
        return open_ui(open_store(args, err), args.lesson, args.pace)
    from .content.loader import load_course  # pydantic: only for the commands that validate

    course = load_course()
    lesson = course.lesson(args.lesson)
    if args.narrate:
        from .plain import narrate_lesson

        return narrate_lesson(lesson, out)
    from .plain import print_lesson_page

    return print_lesson_page(lesson, course.quiz(lesson.id), out, err, args.width, args.answers)


def cmd_quiz(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """A lesson's quiz: in the terminal UI, or printed."""
    if not args.plain:
        from .content.summary import check_lesson_id, read_summaries

        check_lesson_id(read_summaries(), args.lesson)
        return open_ui(open_store(args, err), args.lesson, quiz=True)
    from .content.loader import load_course
    from .plain import print_quiz

    course = load_course()
    lesson = course.lesson(args.lesson)
    quiz = course.quiz(lesson.id)
    if quiz is None:
        return _fail(f"lesson {lesson.id!r} has no quiz", EXIT_FAILED, err)
    return print_quiz(lesson, quiz, out, err, args.answers)


def cmd_demo(args: argparse.Namespace, err: TextIO) -> int:
    """Instructor mode."""
    from .content.summary import check_lesson_id, read_summaries
    from .demo.notes import default_socket_path
    from .ui.app import TutorApp

    summaries = read_summaries()
    lessons = args.lessons or [summary.id for summary in summaries]
    for lesson_id in lessons:
        check_lesson_id(summaries, lesson_id)
    if args.pace <= 0:
        return _fail("--pace must be more than 0 seconds", EXIT_USAGE, err)
    app = TutorApp(
        None,
        pace=args.pace,
        summaries=summaries,
        progress=open_store(args, err),
        demo=lessons,
        loop=args.loop,
        notes_socket=args.socket or default_socket_path(),
    )
    app.run()
    return app.return_code or EXIT_OK


def cmd_notes(args: argparse.Namespace, out: TextIO) -> int:
    """Follow a running demo's speaker notes."""
    from .demo.notes import NoDemoRunning, default_socket_path, follow

    path = args.socket or default_socket_path()
    try:
        print(f"Following the demo's speaker notes ({path}); Ctrl+C stops.", file=out, flush=True)
        for update in follow(path, wait=max(0.0, args.wait)):
            step = f"step {update['step']} of {update['steps']}" if update["step"] else "start"
            print(f"\n== {update['title']} · {step} · {update['stage'] or 'ready'} ==", file=out)
            print(update["notes"], file=out, flush=True)
    except NoDemoRunning as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (KeyboardInterrupt, BrokenPipeError):
        return EXIT_OK  # the follower was stopped (Ctrl+C, or its output was closed)
    print("\nThe demo ended.", file=out)
    return EXIT_OK


def cmd_progress(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Show, reset, export or import the learner's progress."""
    store = open_store(args, err)
    if args.reset:
        store.reset()
        print(f"Progress of {store.learner} reset ({store.path}).", file=out)
        return EXIT_OK
    if args.export is not None:
        store.export_json(args.export)
        print(f"Progress of {store.learner} written to {args.export}.", file=out)
        return EXIT_OK
    if args.import_file is not None:
        count = store.import_json(args.import_file)
        print(f"Merged {count} lessons from {args.import_file} into {store.path}.", file=out)
        return EXIT_OK
    from .content.summary import read_summaries

    saved = store.all()
    print(f"Progress of {store.learner} ({store.path}):", file=out)
    for summary in read_summaries():
        progress = saved.get(summary.id)
        if progress is None:
            print(f"  {summary.id:<16} not started", file=out)
            continue
        state = "done" if progress.completed else f"at step {progress.last_step}"
        score = f"best quiz {progress.best_score}" if progress.best_score else "quiz not taken"
        print(f"  {summary.id:<16} {state}; {score}; {progress.attempts} attempt(s)", file=out)
    return EXIT_OK


def open_store(args: argparse.Namespace, err: TextIO) -> ProgressStore:
    """The learner's progress store; a broken file was moved aside: say so once, here."""
    from .progress.store import ProgressStore

    store = ProgressStore.open(getattr(args, "data_dir", None), getattr(args, "learner", None))
    if store.notice:
        print(f"tutor: {store.notice}", file=err)
    return store


def open_ui(
    store: ProgressStore,
    lesson_id: str | None = None,
    pace: float = 1.5,
    quiz: bool = False,
) -> int:
    """Run the Textual interface (on the home screen, or on a lesson).

    Only the lesson list is read before the first paint; the course is validated right after.
    """
    from .content.summary import check_lesson_id, read_summaries
    from .ui.app import TutorApp

    summaries = read_summaries()
    if lesson_id is not None:
        check_lesson_id(summaries, lesson_id)
    app = TutorApp(None, lesson_id, pace=pace, summaries=summaries, progress=store, quiz=quiz)
    app.run()
    return app.return_code or EXIT_OK


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Entry point of the `tutor` command; returns the exit status."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["run", *argv]  # `tutor LESSON` opens the lesson
    args = parser.parse_args(argv)
    try:
        if args.command in (None, "home"):
            return open_ui(open_store(args, err))
        if args.command == "quiz":
            return cmd_quiz(args, out, err)
        if args.command == "demo":
            return cmd_demo(args, err)
        if args.command == "notes":
            return cmd_notes(args, out)
        if args.command == "serve":
            from .serve import serve

            return serve(args.host, args.port, out)
        if args.command == "progress":
            return cmd_progress(args, out, err)
        if args.command == "list":
            from .content.loader import load_course

            return cmd_list(load_course(), out)
        if args.command == "run":
            return cmd_run(args, out, err)
    except UnknownLesson as exc:
        return _fail(str(exc), EXIT_USAGE, err)
    except ContentError as exc:
        return _fail(f"the course content is broken:\n{exc}", EXIT_FAILED, err)
    except ProgressError as exc:
        return _fail(str(exc), EXIT_FAILED, err)
    except KeyboardInterrupt:
        return _fail("interrupted", 130, err)
    parser.print_help(err)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
