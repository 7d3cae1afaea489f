"""The `tutor` click group: each command is declared once, in this package, and added below in
the order `tutor --help` lists them. Commands import Textual, Celery and pydantic inside their own
functions, so `tutor --help` and `tutor list` stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ..defaults import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ..launch import Streams, failure_line
from . import (
    broker_option,
    content_option,
    open_store,
    open_ui,
    saved_options,
    stage_timeout_option,
    streams,
)
from .authoring import check, new, schema
from .lessons import home, list_lessons, quiz, run
from .progress import progress
from .study import challenge, review
from .teaching import demo, notes, serve
from .trace import trace

__all__ = ["cli", "run_cli"]

DESCRIPTION = """\
Learn how Celery runs work asynchronously by watching a real Celery app, one stage at a time:
define a task, .delay() it, see the message wait in the broker queue, a worker pick it up, the
task execute and its result stored (or not).

With no command: the lesson list. With a lesson id: that lesson ('tutor run LESSON').
"""

EPILOG = """\
\b
examples:
  tutor                           the lesson list (arrow keys, Enter)
  tutor delay                     open lesson 'delay' directly
  tutor list                      the lessons, one a line, id first
  tutor run delay --plain         the whole lesson page, values from a real run
  tutor run delay --narrate       each stage of the real run as one sentence
  tutor quiz delay --plain        the quiz, printed
  tutor quiz --chapter 1          chapter 1's mixed quiz (predictions from all its lessons)
  tutor challenge delay           lesson delay's predictions against the clock
  tutor review                    the review cards due today
  tutor run delay --html d.html   the whole lesson page as a handout (also --svg FILE)
  tutor demo --loop               teach: every lesson, on its own, over and over
  tutor new my-lesson --content ~/course    write a lesson that plays as it is
  tutor check --content ~/course            replay a whole course on real Celery
  tutor run my-lesson.toml --plain          play one lesson file
  tutor trace tasks.py --call 'add.delay(2, 3)'   your own tasks, stage by stage
"""


class TutorGroup(click.Group):
    """The `tutor` group: `tutor LESSON` plays a lesson, and errors are one line and a status.

    A first argument that names no command (and is no option) is a lesson id: it resolves to
    the `run` command with that id as its argument, so `tutor delay --pace 2` is `tutor run delay
    --pace 2`. Commands are listed in the order they were added.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in the order they were added (the order of `tutor --help`)."""
        return list(self.commands)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A known command; else `run`, given the first argument as its lesson id."""
        first = args[0] if args else ""
        if first and not first.startswith("-") and self.get_command(ctx, first) is None:
            return "run", self.get_command(ctx, "run"), args
        return super().resolve_command(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """`tutor [OPTIONS] [LESSON | COMMAND [ARGS]...]`."""
        return ["[OPTIONS]", "[LESSON | COMMAND [ARGS]...]"]

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an error a learner can cause becomes one line and an exit status."""
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt) as exc:
            line = failure_line(exc)
            if line is None:
                raise
        print(f"tutor: {line[0]}", file=streams().err)
        return line[1]


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .. import __version__

        print(f"tutor {__version__}", file=streams().out)
        ctx.exit(EXIT_OK)


@click.group(
    cls=TutorGroup,
    invoke_without_command=True,
    help=DESCRIPTION,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the tutor's version and exit.",
)
@saved_options
@content_option
@stage_timeout_option
@broker_option
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, learner: str | None) -> int | None:
    """The `tutor` group: with no command, the lesson list."""
    if ctx.invoked_subcommand is None:
        return open_ui(open_store(data_dir, learner))
    return None


for command in (
    list_lessons,
    run,
    home,
    quiz,
    trace,
    challenge,
    review,
    progress,
    demo,
    notes,
    serve,
    check,
    new,
    schema,
):
    cli.add_command(command)


def run_cli(args: Sequence[str], where: Streams) -> int:
    """Parse `args` and run the command; a usage error is one line on `where.err`, status 2."""
    try:
        code = cli.main(args, prog_name="tutor", standalone_mode=False, obj=where)
    except click.ClickException as exc:  # a usage error: an unknown option, a missing argument
        message = exc.format_message()
        message = message[:1].lower() + message[1:] + ("" if message.endswith((".", ")")) else ".")
        context = getattr(exc, "ctx", None)
        hint = f" See '{context.command_path} --help'." if context is not None else ""
        print(f"tutor: {message}{hint}", file=where.err)
        return EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code
    except click.Abort:
        print("tutor: interrupted", file=where.err)
        return EXIT_INTERRUPTED
    return EXIT_OK if code is None else int(code)
