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
    """A variant that ran to its end: the plan and the run's final snapshot (and, for a variant
    with steps of its own, its lesson run: every step reached, filled from that run)."""

    plan: VariantPlan
    snapshot: Snapshot
    played: LessonRun | None = None


def has_steps(lesson: Lesson, name: str | None) -> bool:
    """Whether `name` is one of the lesson's variants with steps of its own."""
    variant = lesson.variants.get(name) if name is not None else None
    return variant is not None and bool(variant.steps)


def variant_lesson(lesson: Lesson, name: str) -> Lesson:
    """A variant with steps of its own, as a lesson to play: its code, set-up, steps, tracker.

    Its title is "What if: LABEL"; the flow is the lesson's; it keeps only its own variant, so
    `LessonRun(variant_lesson(lesson, name), name)` runs the variant's code and set-up.
    """
    variant = lesson.variants[name]
    if not variant.steps:
        raise ValueError(f"lesson {lesson.id}: variant {name!r} has no steps of its own")
    sample = lesson.sample.model_copy(update={"code": variant.code or lesson.sample.code})
    return lesson.model_copy(
        update={
            "title": f"What if: {variant.label}",
            "sample": sample,
            "run": variant.run or lesson.run,
            "steps": variant.steps,
            "variables": variant.variables or lesson.variables,
            "tracker": variant.tracker or lesson.tracker,
            "table_note": variant.table_note or "",
            "key_moments": [],
            "variants": {name: variant},
        }
    )


def variant_lesson_run(lesson: Lesson, name: str) -> LessonRun:
    """A lesson run (not started) of a variant with steps of its own."""
    return LessonRun(variant_lesson(lesson, name), name)


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
    """Run a variant for real, to its end (a variant with steps: step by step, recording each).
    Call it off the UI thread; a step never reached is a LessonMismatch."""
    if has_steps(lesson, name):
        with variant_lesson_run(lesson, name) as played:
            played.play_all()
            return VariantOutcome(variant_plan(lesson, name), played.finish(), played)
    with LessonRun(lesson, name) as variant_run:
        return VariantOutcome(variant_plan(lesson, name), variant_run.finish())


def run_what_if(lesson: Lesson, name: str) -> tuple[str, Snapshot]:
    """Run a variant to its end: the code that ran and the final snapshot."""
    outcome = run_variant(lesson, name)
    return outcome.plan.code, outcome.snapshot


def run_key_moment_variants(lesson: Lesson) -> dict[str, VariantOutcome]:
    """Every variant a key moment names, run to its end; their outcomes by name."""
    outcomes: dict[str, VariantOutcome] = {}
    for moment in lesson.key_moments:
        if moment.variant and moment.variant not in outcomes:
            outcomes[moment.variant] = run_variant(lesson, moment.variant)
    return outcomes
