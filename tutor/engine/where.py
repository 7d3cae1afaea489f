"""Where in the sample a thread is, or an exception came from: the line a learner should look at.

Everything here reads frames and tracebacks of the sample's code (compiled under the run's
filename); nothing moves the run.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from types import CodeType, FrameType, TracebackType
from typing import Any


def exception_text(exc: BaseException) -> str:
    """ "Type: message", or just "Type" when the exception has no message (SystemExit())."""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def raised_at(exc: BaseException, filename: str) -> int | None:
    """The line of the sample where `exc` was raised (its innermost frame in the sample)."""
    line = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def frames_in_sample(frame: FrameType | None, filename: str) -> list[FrameType]:
    """The frames of `frame`'s stack that run the sample's code, outermost first."""
    found = []
    while frame is not None:
        if frame.f_code.co_filename == filename:
            found.append(frame)
        frame = frame.f_back
    found.reverse()
    return found


def line_now(filename: str) -> int | None:
    """The sample line the calling thread is running (its innermost frame in the sample)."""
    frames = frames_in_sample(sys._getframe(1), filename)
    return frames[-1].f_lineno if frames else None


@dataclass(frozen=True)
class Running:
    """What one thread is doing in the sample right now."""

    line: int
    """The innermost line of the sample the thread is at."""
    task_name: str | None
    """The task whose body it runs (None: the main app's own statement)."""
    called_from: int | None
    """For a task body the main app called directly: the main app's line that called it."""

    def describe(self, thread: str, main_app: str) -> str:
        """ "the task body of tasks.add (line 5)" or "line 9 (the main app)"."""
        if self.task_name is None:
            return f"line {self.line} (the main app)" if thread == main_app else f"line {self.line}"
        body = f"the task body of {self.task_name} (line {self.line})"
        if self.called_from is not None:
            body += f", called directly by line {self.called_from} of the main app"
        return body


def task_codes(tasks: Iterable[tuple[str, Any]]) -> dict[CodeType, str]:
    """The code object of each task's body, by task name (to tell a body's frame)."""
    codes: dict[CodeType, str] = {}
    for name, task in tasks:
        run = getattr(type(task), "run", None)
        run = getattr(run, "__func__", run)
        code = getattr(run, "__code__", None)
        if isinstance(code, CodeType):
            codes[code] = name
    return codes


def running_in(ident: int, filename: str, codes: dict[CodeType, str]) -> Running | None:
    """What thread `ident` is running of the sample now (None: no sample code on its stack)."""
    frames = frames_in_sample(sys._current_frames().get(ident), filename)
    if not frames:
        return None
    line = frames[-1].f_lineno
    for index, frame in enumerate(frames):
        name = codes.get(frame.f_code)
        if name is not None:
            from_main = index > 0 and frames[0].f_code.co_name == "<module>"
            return Running(line, name, frames[0].f_lineno if from_main else None)
    return Running(line, None, None)


def sample_traceback(exc: BaseException, filename: str) -> tuple[str, ...]:
    """The traceback of `exc` as plain lines, with only the sample's own frames (no frame of the
    tutor, Celery or any library): `File "<lesson x>", line 5, in divide`, its source line, then
    `ZeroDivisionError: division by zero`. An exception raised from another (`raise ... from`)
    with no frame of the sample shows the frames of the one it came from."""
    frames = _sample_frames(exc, filename)
    cause = exc.__cause__
    if not frames and cause is not None:
        frames = _sample_frames(cause, filename)
    lines: list[str] = []
    if frames:
        lines.append("Traceback (most recent call last):")
        for frame in frames:
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
    for text in traceback.format_exception_only(type(exc), exc):
        lines.extend(text.rstrip("\n").splitlines())
    return tuple(lines)


def _sample_frames(exc: BaseException, filename: str) -> list[traceback.FrameSummary]:
    return [
        frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == filename
    ]
