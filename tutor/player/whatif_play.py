"""A what-if played stop by stop in the lesson's panels, and what differs from the lesson's run.

A variant with steps of its own plays through those steps (`whatif.variant_lesson`). Any other
what-if (a key moment's variant without steps, the demo's b/w/d) has no table written for it: the
lesson's rows were written for the lesson's run. It plays as a `StopByStopRun`: every stop of its
own real run is a row, the row's text read from that stop, and each row is compared with the
lesson's run at the same stage (`row_differences`), so the screen can mark what the change did.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..content.models import Lesson, Step
from ..engine.snapshot import Snapshot
from ..engine.stages import Stage
from .context import build_context
from .lesson_run import LessonRun, StepResult, run_config
from .whatif import variant_plan

WHAT_IF_NOTE = "(a what-if row: read from the what-if's own stop)"


def stop_lesson(lesson: Lesson, name: str) -> Lesson:
    """The what-if as a lesson to show: its label as title, its code as the sample, no steps (its
    rows come from its run), the lesson's flow and tracked variables."""
    plan = variant_plan(lesson, name)
    return lesson.model_copy(
        update={
            "title": f"What if: {plan.label}",
            "sample": lesson.sample.model_copy(update={"code": plan.code}),
            "run": plan.setup,
            "steps": [],
            "table_note": plan.expect,
            "key_moments": [],
        }
    )


def _literal(text: str) -> str:
    """Text that `fill` gives back unchanged (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def outcome_line(snapshot: Snapshot, previous: Snapshot | None) -> str:
    """The Result column of a stop's row: the calls that ended at it, and what changed since the
    stop before (everything, on the first row) — every value from the stops themselves."""
    parts: list[str] = []
    done_before = set()
    if previous is not None:
        done_before = {c.index for c in previous.calls if c.finished_at is not None}
    for call in snapshot.calls:
        if call.finished_at is None or call.index in done_before:
            continue
        if call.error:
            parts.append(f"line {call.line} raised {call.error}")
        elif call.value_type:
            parts.append(f"line {call.line} returned {call.value!r}")
        else:
            parts.append(f"line {call.line} is done")
    before = facts(previous) if previous is not None else {}
    for name, value in facts(snapshot).items():
        if name != "the caller" and before.get(name) != value:
            parts.append(f"{name}: {value}")
    return "; ".join(parts) or "no change"


def stop_step(snapshot: Snapshot, previous: Snapshot | None) -> Step:
    """The row a stop makes: the stage (and thread), what happened, what holds now."""
    thread = snapshot.stop.thread
    where = "" if thread in ("", "-") else f" in {thread}"
    return Step.model_construct(
        at=snapshot.stage,
        thread=None,
        line=None,
        action=_literal(f"{snapshot.stage}{where}"),
        evaluation=_literal(snapshot.stop.detail),
        result=_literal(outcome_line(snapshot, previous)),
        notes=WHAT_IF_NOTE,
        highlight_line=None,
        task=None,
    )


class StopByStopRun(LessonRun):
    """A what-if's real run where every stop is a row; `baseline` is the lesson's own run (the
    one on screen before), to compare with."""

    def __init__(self, lesson: Lesson, name: str, baseline: LessonRun | None = None) -> None:
        super().__init__(stop_lesson(lesson, name), name, config=run_config(lesson, name))
        self.source = lesson
        self.baseline = baseline
        """The lesson's run to compare with; if it has not finished when this run starts, a
        fresh real run of the lesson is played to its end for that (`start`)."""

    def start(self) -> StopByStopRun:
        """Start the what-if's real run (off the UI thread), with a finished run to compare."""
        if self.baseline is None or not self.baseline.finished:
            with LessonRun(self.source) as lesson_run:
                lesson_run.start()
                while not lesson_run.finished:
                    lesson_run.advance_stop()
            self.baseline = lesson_run
        super().start()
        return self

    @property
    def steps_complete(self) -> bool:
        """Its rows end with its run."""
        return self.finished

    def advance_stop(self) -> Snapshot:
        """Advance the real run by one stop, and make that stop a row."""
        if self.run is None:
            self.start()
        assert self.run is not None
        if self.finished:
            return self.stops[-1]
        previous = self.stops[-1] if self.stops else None
        snapshot = self.run.advance()
        self.stops.append(snapshot)
        step = stop_step(snapshot, previous)
        self.results.append(
            StepResult(
                len(self.results) + 1, step, snapshot, (snapshot,),
                build_context(snapshot, None), stop_index=len(self.stops) - 1,
            )
        )  # fmt: skip
        return snapshot


def facts(snapshot: Snapshot) -> dict[str, str]:
    """What a stop holds that a what-if may change, in words (no ids: two runs compare)."""
    errors = [call.error.split(" — ")[0] for call in snapshot.calls if call.error]
    return {
        "queue depth": str(snapshot.depth),
        "task state": ", ".join(
            f"{task.name.rsplit('.', 1)[-1]} {task.state}" for task in snapshot.tasks
        )
        or "no task",
        "result backend": snapshot.backend.kind,
        "workers": ", ".join(worker.name for worker in snapshot.workers) or "none",
        "the caller": "; ".join(f"raised {error}" for error in errors) or "no error",
    }


HOOD_FACTS = frozenset({"queue depth", "task state", "result backend", "workers"})
"""Facts the under-the-hood panel shows."""


def _same_stop(stops: list[Snapshot], stage: Stage, thread: str, nth: int) -> Snapshot | None:
    found = [s for s in stops if s.stage is stage and s.stop.thread == thread]
    return found[nth] if nth < len(found) else None


def row_differences(what_if: StopByStopRun) -> Mapping[int, dict[str, str]]:
    """Row number → what differs at its stop from the lesson's run at the same stage (and thread,
    the same time round), each fact in words with the lesson's value beside it. A stage the
    finished lesson's run never had differs as a whole; a stop not yet compared is left out."""
    baseline = what_if.baseline
    if baseline is None:
        return {}
    seen: dict[tuple[Stage, str], int] = {}
    differences: dict[int, dict[str, str]] = {}
    for result in what_if.results:
        stop = result.snapshot
        key = (stop.stage, stop.stop.thread)
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        theirs = _same_stop(baseline.stops, stop.stage, stop.stop.thread, nth)
        if theirs is None:
            if baseline.finished:
                differences[result.index] = {"stage": "the lesson's run has no such stop"}
            continue
        mine, lesson_facts = facts(stop), facts(theirs)
        changed = {
            name: f"{value} (the lesson's run: {lesson_facts[name]})"
            for name, value in mine.items()
            if value != lesson_facts[name]
        }
        if changed:
            differences[result.index] = changed
    return differences
