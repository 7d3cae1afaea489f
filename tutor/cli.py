"""The `tutor` command: lists lessons and plays them on a real Celery app.

Plain `tutor` opens the first screen straight away (no parser to import: the first paint is what a
learner waits for); everything else is parsed by the click group in `tutor.commands.group`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from .launch import Streams, first_screen

__all__ = ["command", "main"]


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Entry point of the `tutor` command; returns the exit status.

    `out` and `err` default to the process's own; a wrong command line is one line on `err` and
    status 2.
    """
    where = Streams(sys.stdout if out is None else out, sys.stderr if err is None else err)
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        return first_screen(where)  # the app collects garbage again once it has painted
    gc.enable()  # `command()` started without (see there)
    from .commands.group import run_cli

    # a reader that goes away (`tutor run delay --narrate | head -2`) is click's to handle: it
    # ends the command quietly with status 1
    return run_cli(args, where)


def command() -> NoReturn:
    """The installed `tutor` command (and `python -m tutor`): `main()`, its status the exit status.

    Once `main()` has returned, nothing the process made needs collecting any more: the garbage
    collector is switched off for the exit, which then skips sweeping a heap full of Celery,
    kombu and Textual objects (about 0.2 s between the last screen and the shell prompt on
    quit). Exit handlers still run and files are still flushed and closed.

    It starts without garbage collection too: the imports before the first screen make many
    long-lived objects and no garbage worth a collection; plain `tutor`'s app collects again
    once its first screen is painted (the objects made so far are frozen: never examined again),
    every other command as soon as its arguments are read."""
    gc.disable()
    status = main()
    gc.disable()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    command()
