"""Variants: the lesson's run again with one change, run for real to its end, to compare.

One pipeline serves every place a learner or an instructor asks "what if…": the variants a lesson
defines (a key moment names one; plain mode prints their outcome), and the three the demo offers on
b/w/d for any lesson (no result backend, no worker, a direct call). Each is resolved to a
`VariantPlan` (the code as it runs and the set-up it runs with) and played by `run_variant`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.models import Lesson, RunSetup
from ..engine.sample import SampleProgram
from ..engine.snapshot import Snapshot
from .lesson_run import LessonRun


@dataclass(frozen=True)
class WhatIf:
    """A change any lesson can be re-run with (the demo's b/w/d)."""

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


@dataclass(frozen=True)
class VariantPlan:
    """A variant ready to run: its name and label, the code exactly as it runs, its set-up."""

    name: str
    label: str
    expect: str
    code: str
    setup: RunSetup


@dataclass(frozen=True)
class VariantOutcome:
    """A variant that ran to its end: the plan and the run's final snapshot."""

    plan: VariantPlan
    snapshot: Snapshot


_DELAY = re.compile(r"\.delay\(")


def what_if_code(code: str, name: str) -> str:
    """The sample as a built-in what-if runs it (shown exactly as run)."""
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


def variant_plan(lesson: Lesson, name: str) -> VariantPlan:
    """Resolve a name: one of the lesson's own variants first, else a built-in what-if."""
    variant = lesson.variants.get(name)
    if variant is not None:
        return VariantPlan(
            name,
            variant.label,
            "",
            variant.code or lesson.sample.code,
            variant.run or lesson.run,
        )
    what_if = WHAT_IFS.get(name)
    if what_if is None:
        known = ", ".join([*lesson.variants, *WHAT_IFS])
        raise KeyError(f"lesson {lesson.id}: no variant named {name!r} (known: {known})")
    setup = lesson.run
    if name == "no-backend":
        setup = setup.model_copy(update={"result_backend": False})
    elif name == "no-worker":
        setup = setup.model_copy(update={"workers": []})
    return VariantPlan(
        name, what_if.label, what_if.expect, what_if_code(lesson.sample.code, name), setup
    )


def run_variant(lesson: Lesson, name: str) -> VariantOutcome:
    """Run a variant for real, to its end. Call it off the UI thread."""
    with LessonRun(lesson, name) as variant_run:
        return VariantOutcome(variant_plan(lesson, name), variant_run.finish())


def run_what_if(lesson: Lesson, name: str) -> tuple[str, Snapshot]:
    """Run a variant to its end: the code that ran and the final snapshot."""
    outcome = run_variant(lesson, name)
    return outcome.plan.code, outcome.snapshot


def run_key_moment_variants(lesson: Lesson) -> dict[str, Snapshot]:
    """Every variant a key moment names, run to its end; their final snapshots by name."""
    outcomes: dict[str, Snapshot] = {}
    for moment in lesson.key_moments:
        if moment.variant and moment.variant not in outcomes:
            outcomes[moment.variant] = run_variant(lesson, moment.variant).snapshot
    return outcomes
