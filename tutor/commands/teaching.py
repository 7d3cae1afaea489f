"""The instructor's commands: `tutor demo`, `tutor notes` beside it, and `tutor serve`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..defaults import BROKER_ENV, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from . import (
    TutorError,
    broker_option,
    content_option,
    open_store,
    saved_options,
    stage_timeout_option,
    streams,
)

if TYPE_CHECKING:
    from ..poll.server import PollServer

ENDPOINT = click.Path(dir_okay=False, path_type=Path)


@click.command(
    epilog="Keys: space pause/resume, ← → step, + - pace, s speaker notes, c class question "
    "(v reveals), b/w/d what-if (backend off, worker stopped, direct call), q quit. Follow the "
    "notes in another terminal with 'tutor notes'. With --poll the room answers class questions "
    "from its phones (j shows/hides the join QR code)."
)
@click.argument("lessons", nargs=-1, metavar="[LESSON]...")
@click.option(
    "--pace", type=float, default=3.0, show_default=True, metavar="SECONDS", help="Per stage."
)
@click.option("--loop", is_flag=True, help="Start over after the last lesson.")
@click.option(
    "--socket",
    type=ENDPOINT,
    default=None,
    help="Where 'tutor notes' connects (default: in your user runtime folder).",
)
@click.option(
    "--poll",
    is_flag=True,
    help="Let the room answer class questions from its phones: serves a join page (address and "
    "QR code on screen) and shows the spread of answers before the reveal.",
)
@click.option(
    "--host",
    default=None,
    metavar="ADDR",
    help="With --poll: address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 lets "
    "phones on your network join).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    metavar="PORT",
    help="With --poll: port to listen on (default 8765; 0 picks a free one).",
)
@click.option(
    "--poll-results",
    type=ENDPOINT,
    default=None,
    metavar="FILE",
    help="With --poll: write each question's counts as CSV to FILE when the demo ends.",
)
@saved_options
@content_option
@stage_timeout_option
@broker_option
def demo(
    lessons: tuple[str, ...],
    pace: float,
    loop: bool,
    socket: Path | None,
    data_dir: Path | None,
    learner: str | None,
    poll: bool = False,
    host: str | None = None,
    port: int | None = None,
    poll_results: Path | None = None,
) -> int:
    """Instructor mode: real runs advance on their own.

    Teach a class: the lessons' real runs (all of them unless you name some, in order) advance on
    their own in a presenter layout (big step counter, high contrast).
    """
    from ..content.summary import check_lesson_id, read_summaries
    from ..demo.notes import default_socket_path
    from ..ui.app import TutorApp

    summaries = read_summaries()
    chosen = list(lessons) or [summary.id for summary in summaries]
    for lesson_id in chosen:
        check_lesson_id(summaries, lesson_id)
    if os.environ.get(BROKER_ENV):
        chosen = _on_real_broker(chosen, named=bool(lessons))
    if pace <= 0:
        raise TutorError("--pace must be more than 0 seconds", EXIT_USAGE)
    class_poll = start_poll(host, port, poll_results) if poll else None
    if class_poll is None and (host, port, poll_results) != (None, None, None):
        raise TutorError("--host, --port and --poll-results go with --poll", EXIT_USAGE)
    if socket is None:
        try:
            socket = default_socket_path()
        except OSError as exc:  # the demo goes on; only its notes cannot be followed
            print(f"tutor: speaker notes cannot be followed: {exc}", file=streams().err)
    app = TutorApp(
        None,
        pace=pace,
        summaries=summaries,
        progress=open_store(data_dir, learner),
        demo=chosen,
        loop=loop,
        notes_socket=socket,
        poll=class_poll,
    )
    try:
        app.run()
    finally:
        if class_poll is not None:
            end_poll(class_poll, poll_results)
    return app.return_code or EXIT_OK


def start_poll(host: str | None, port: int | None, results: Path | None) -> PollServer:
    """Start the class poll's server (a clear error if it cannot listen or write its results)."""
    from ..poll.room import Room
    from ..poll.server import DEFAULT_PORT, LOCALHOST, PollServer

    if results is not None and not results.parent.is_dir():
        raise TutorError(f"--poll-results: folder {results.parent} does not exist", EXIT_USAGE)
    where = LOCALHOST if host is None else host
    server = PollServer(Room(), where, DEFAULT_PORT if port is None else port)
    try:
        server.start()
    except OSError as exc:
        raise TutorError(f"class poll: {exc} (choose another with --port)", EXIT_USAGE) from None
    return server


def end_poll(server: PollServer, results: Path | None) -> None:
    """Stop the class poll with the demo, and write its results if asked to."""
    server.stop()
    if results is None:
        return
    try:
        asked = server.room.write_csv(results)
    except OSError as exc:
        print(f"tutor: the poll results cannot be written: {exc}", file=sys.stderr)
        return
    print(f"Class poll: {asked} question(s) written to {results}", file=streams().out)


def _on_real_broker(chosen: list[str], named: bool) -> list[str]:
    """With --broker: the lessons marked real_broker among `chosen`; a named one not marked is
    one clear line."""
    from ..content.loader import load_course

    marked = {lesson.id for lesson in load_course().lessons if lesson.real_broker}
    for lesson_id in chosen:
        if named and lesson_id not in marked:
            raise TutorError(
                f"the lesson {lesson_id!r} does not run on a real broker (its real_broker is "
                "false); demo it without --broker",
                EXIT_FAILED,
            )
    return [lesson_id for lesson_id in chosen if lesson_id in marked]


@click.command()
@click.option("--socket", type=ENDPOINT, default=None, help="The demo's socket (or endpoint file).")
@click.option(
    "--wait",
    type=float,
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for a demo to start (0: fail at once).",
)
def notes(socket: Path | None, wait: float) -> int:
    """Follow a running demo's speaker notes in this terminal.

    Prints the speaker notes of the step a running 'tutor demo' shows, as it moves (over a local
    socket only this user can reach; nothing goes on the network).
    """
    from ..demo.notes import NoDemoRunning, default_socket_path, follow

    out = streams().out
    try:
        path = socket or default_socket_path()
    except OSError as exc:
        raise TutorError(f"speaker notes cannot be followed: {exc}") from None
    try:
        print(f"Following the demo's speaker notes ({path}); Ctrl+C stops.", file=out, flush=True)
        for update in follow(path, wait=max(0.0, wait)):
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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@content_option
def serve(host: str, port: int) -> int:
    """Serve the tutor to web browsers (textual-serve).

    Each browser tab gets its own tutor. No authentication: it listens on 127.0.0.1 unless you
    pass --host.
    """
    from ..serve import serve as serve_tutor

    return serve_tutor(host, port, streams().out)
