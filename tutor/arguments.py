"""The `tutor` command's arguments: every command and option, each with its help text."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import __version__

DESCRIPTION = """\
Learn how Celery runs work asynchronously by watching a real Celery app, one stage at a time:
define a task, .delay() it, see the message wait in the broker queue, a worker pick it up, the
task execute and its result stored (or not).
"""

EPILOG = """\
examples:
  tutor                           the lesson list (arrow keys, Enter)
  tutor delay                     open lesson 'delay' directly
  tutor list                      the lessons, one a line, id first
  tutor run delay --plain         the whole lesson page, values from a real run
  tutor run delay --narrate       each stage of the real run as one sentence
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a help text for every command and option."""
    parser = argparse.ArgumentParser(
        prog="tutor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    saved = argparse.ArgumentParser(add_help=False)
    saved.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder of the progress file (default: $TUTOR_DATA_DIR, else your user data folder)",
    )
    saved.add_argument(
        "--learner", default=None, help="whose progress (default: $TUTOR_LEARNER, else your login)"
    )

    commands.add_parser("list", help="list the lessons, one a line, id first")
    commands.add_parser(
        "home", parents=[saved], help="open the lesson list (what plain 'tutor' does)"
    )

    quiz = commands.add_parser(
        "quiz",
        parents=[saved],
        help="take a lesson's quiz (predictions are graded against a real run)",
        description="Take a lesson's quiz on its own. Predictions and orderings are graded "
        "against what a real Celery run of the lesson does.",
    )
    quiz.add_argument("lesson", metavar="LESSON", help="the lesson id (see 'tutor list')")
    quiz.add_argument("--plain", action="store_true", help="print the questions and exit")
    quiz.add_argument(
        "--answers",
        action="store_true",
        help="with --plain: the answers and explanations too (read from a real run)",
    )

    progress = commands.add_parser(
        "progress",
        parents=[saved],
        help="show your progress; reset, export or import it",
        description="Your progress: lessons completed, best quiz score, attempts, last step.",
    )
    action = progress.add_mutually_exclusive_group()
    action.add_argument("--reset", action="store_true", help="forget this learner's progress")
    action.add_argument("--export", type=Path, metavar="FILE", help="write it to a JSON file")
    action.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="merge a JSON export into it (a malformed file changes nothing)",
    )

    demo = commands.add_parser(
        "demo",
        parents=[saved],
        help="instructor mode: the real run advances on its own, in a presenter layout",
        description="Teach a class: the lessons' real runs advance on their own in a presenter "
        "layout (big step counter, high contrast). Keys: space pause/resume, ← → step, + - pace, "
        "s speaker notes, c class question (v reveals), b/w/d what-if (backend off, worker "
        "stopped, direct call), q quit. Follow the notes in another terminal with 'tutor notes'.",
    )
    demo.add_argument(
        "lessons", nargs="*", metavar="LESSON", help="lessons in order (default: all)"
    )
    demo.add_argument("--pace", type=float, default=3.0, help="seconds per stage (default 3)")
    demo.add_argument("--loop", action="store_true", help="start over after the last lesson")
    demo.add_argument(
        "--socket", type=Path, default=None, help="where 'tutor notes' connects (default: data dir)"
    )

    notes = commands.add_parser(
        "notes",
        help="follow a running demo's speaker notes in this terminal",
        description="Print the speaker notes of the step a running 'tutor demo' shows, as it "
        "moves (over a local socket; nothing goes on the network).",
    )
    notes.add_argument("--socket", type=Path, default=None, help="the demo's socket")
    notes.add_argument(
        "--wait",
        type=float,
        default=30.0,
        help="seconds to wait for a demo to start (default 30; 0: fail at once)",
    )

    serve = commands.add_parser(
        "serve",
        help="serve the tutor to a web browser (textual-serve)",
        description="Serve the tutor to web browsers. Each browser tab gets its own tutor. No "
        "authentication: it listens on 127.0.0.1 unless you pass --host.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")

    run = commands.add_parser(
        "run",
        parents=[saved],
        help="play a lesson on a real Celery app",
        description="Play a lesson: a real in-memory Celery app runs its sample, stage by stage.",
    )
    run.add_argument("lesson", metavar="LESSON", help="the lesson id (see 'tutor list')")
    run.add_argument(
        "--plain",
        action="store_true",
        help="print the whole lesson page (every section, values from the real run) and exit",
    )
    run.add_argument(
        "--narrate",
        action="store_true",
        help="print each stage of the real run as one plain sentence (screen readers, logs)",
    )
    run.add_argument(
        "--answers", action="store_true", help="with --plain: show the quiz answers too"
    )
    run.add_argument("--width", type=int, default=None, help="with --plain: page width in columns")
    run.add_argument(
        "--pace",
        type=float,
        default=1.5,
        help="seconds between stages when autoplay (key a) is on; + and - change it live",
    )
    return parser


COMMANDS = {"list", "run", "home", "quiz", "progress", "demo", "notes", "serve"}
