"""Standard input as the sample sees it: empty, as if run with `< /dev/null`, never the terminal.

A sample that reads standard input (`input()`, `sys.stdin.read()`) would otherwise read the
terminal the tutor draws on and swallow the learner's keys. While any run is alive, `sys.stdin` is
a `ThreadStdin`: threads of a run (its caller, its workers and their timers, and the thread running
the sample's definitions) read an empty stream (`input()` raises EOFError, `read()` returns ""),
every other thread reads the standard input it had before.

Why this way:
- Textual reads the terminal through the file descriptor of `sys.__stdin__` (its Linux driver and
  input reader take `sys.__stdin__.fileno()`), never through `sys.stdin`, so replacing `sys.stdin`
  leaves the UI's keys alone; `sys.__stdin__` itself is never touched.
- A stream chosen per thread, rather than one empty stream for everybody, keeps the tutor's own
  threads (a prompt in plain mode, pytest's capture) reading what they read before.
- Giving the sample's namespace its own `input` would miss `sys.stdin.read()`, and a sample's
  `import sys` gets the real module.
Threads a sample starts itself are not the run's and read the previous standard input.
"""

from __future__ import annotations

import io
import sys
import threading
import weakref
from collections.abc import Iterator
from typing import Any


class EmptyStdin(io.StringIO):
    """An empty standard input, read-only, with no file descriptor (like `< /dev/null`)."""

    name = "<stdin of a sample: empty>"

    def __init__(self) -> None:
        super().__init__("")

    def fileno(self) -> int:
        """No descriptor: builtin input() then reads through readline(), gets "", raises
        EOFError."""
        raise io.UnsupportedOperation("a sample's standard input has no file descriptor")

    def isatty(self) -> bool:
        """Not a terminal."""
        return False

    def writable(self) -> bool:
        """Standard input is not written to."""
        return False

    def write(self, text: str) -> int:
        """Refuse, as a read-only stream does."""
        raise io.UnsupportedOperation("not writable")

    def close(self) -> None:
        """Stay open: every run's threads share this one empty stream."""


_EMPTY = EmptyStdin()
_lock = threading.Lock()
_claimed: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
_runs_alive = 0


class ThreadStdin:
    """`sys.stdin` while runs are alive: empty for runs' threads, the previous one for others."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def current(self) -> Any:
        """The stream the calling thread reads."""
        if threading.current_thread() in _claimed:
            return _EMPTY
        return self.previous

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.current())


def claim_thread() -> None:
    """The calling thread belongs to a run: it reads the empty standard input from now on."""
    with _lock:
        _claimed.add(threading.current_thread())


def run_started() -> None:
    """A run starts: make sure `sys.stdin` serves runs' threads an empty stream."""
    global _runs_alive
    with _lock:
        _runs_alive += 1
        if not isinstance(sys.stdin, ThreadStdin):
            sys.stdin = ThreadStdin(sys.stdin)


def run_closed() -> None:
    """A run closed: once none is alive and no thread of one lives on, restore `sys.stdin`."""
    global _runs_alive
    with _lock:
        _runs_alive = max(0, _runs_alive - 1)
        if _runs_alive or any(thread.is_alive() for thread in list(_claimed)):
            return
        current = sys.stdin
        if isinstance(current, ThreadStdin):
            sys.stdin = current.previous
