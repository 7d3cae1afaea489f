"""What-if re-runs: the lesson's run again with one change, run for real, to show the difference."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..content.models import Lesson
from ..engine.sample import SampleProgram
from ..engine.snapshot import Snapshot
from .lesson_run import LessonRun, run_config


@dataclass(frozen=True)
class WhatIf:
    """One change to try."""

    name: str
    label: str
    expect: str
    """What to look for in the outcome, in plain words."""


WHAT_IFS = {
    "no-backend": WhatIf(
        "no-backend",
        "result backend off",
        "The worker still runs the task, but nothing is stored: the caller's get() raises "
        "Celery's real NotImplementedError.",
    ),
    "no-worker": WhatIf(
        "no-worker",
        "worker stopped",
        "delay() still returns at once, but no one takes the message: it just waits in the queue.",
    ),
    "direct": WhatIf(
        "direct",
        "a direct call instead of .delay()",
        "The body runs inside the main app: no message, no worker, and the caller waits for it.",
    ),
}

_DELAY = re.compile(r"\.delay\(")


def what_if_code(code: str, name: str) -> str:
    """The sample as the what-if runs it (shown exactly as run)."""
    program = SampleProgram.parse(code)
    lines = code.rstrip("\n").split("\n")
    first_call = program.calls[0].line if program.calls else len(lines) + 1
    head, calls = lines[: first_call - 1], lines[first_call - 1 :]
    if name == "direct":
        calls = [_DELAY.sub("(", line) for line in calls]
    elif name == "no-backend" and not any(".get(" in line for line in calls):
        last = program.calls[-1] if program.calls else None
        if last is not None and last.is_expression and ".delay(" in last.source:
            calls[-1] = f"result = {calls[-1]}"
            calls.append("result.get(timeout=5)  # added by the what-if: ask for the result")
    return "\n".join(head + calls) + "\n"


def run_what_if(lesson: Lesson, name: str) -> tuple[str, Snapshot]:
    """Run the lesson with one change, to its end: the code that ran and the final snapshot."""
    config = run_config(lesson)
    code = what_if_code(lesson.sample.code, name)
    changed = replace(config, code=code, filename=f"<lesson {lesson.id}, what if: {name}>")
    if name == "no-backend":
        changed = replace(changed, result_backend=False)
    elif name == "no-worker":
        changed = replace(changed, workers=())
    with LessonRun(lesson, config=changed) as what_if_run:
        return code, what_if_run.finish()
