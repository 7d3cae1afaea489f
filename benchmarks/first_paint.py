"""Run the tutor's first screen, or a bare Textual app, and end the process the moment the first
frame showing its marker is written to the terminal: for counting the instructions a launch takes
(`python benchmarks/first_paint.py tutor|bare`, under valgrind, in a terminal of 120x35).

Counted instructions do not move with the machine's load the way milliseconds do, so two changes
a millisecond apart can be told apart; the launch goal itself stays in wall-clock time.
"""

from __future__ import annotations

import os
import sys

from textual.drivers.linux_driver import LinuxDriver

MARKERS = ("BARE-READY", "Choose a lesson")

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""
"""The baseline of the launch benchmarks: a bare Textual app showing one Static."""


def _exit_on_first_paint() -> None:
    write = LinuxDriver.write

    def write_then_maybe_exit(self: LinuxDriver, data: str) -> None:
        write(self, data)
        if any(marker in data for marker in MARKERS):
            self.flush()
            os._exit(0)

    LinuxDriver.write = write_then_maybe_exit  # type: ignore[method-assign]


def main(which: str) -> None:
    """Launch `which` ("tutor" or "bare") and end at its first painted frame."""
    _exit_on_first_paint()
    if which == "tutor":
        del sys.argv[1:]
        from tutor.cli import command

        command()
    else:
        exec(BARE_APP, {"__name__": "__main__"})


if __name__ == "__main__":
    main(sys.argv[1])
