"""A trace as a lesson: the real run of a developer's file, written as a lesson that replays it.

`trace_run` runs the file once for real and keeps every stop; `trace_lesson` writes one step per
stop (its stage, thread and line), whose cells are placeholders the replay fills from its own
run: the real ids, arguments, states, values and timings. So the trace plays in the lesson screen,
in `--plain` and `--narrate`, and `tutor check` can replay it, like any lesson.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..content.models import (
    Choice,
    ChoiceQuestion,
    FlowBox,
    KeyMoment,
    Lesson,
    OrderItem,
    OrderQuestion,
    Quiz,
    RunSetup,
    Sample,
    Step,
    TrackedVariable,
    TrackerColumn,
)
from ..engine.sample import SampleProgram
from ..engine.stages import Stage
from .trace_source import MAIN_LINE, TraceInputError, TraceSource, unknown_name

if TYPE_CHECKING:
    from ..engine.adopt import Adoption
    from ..engine.snapshot import Snapshot

MAX_TRACKED_TASKS = 6
"""The tracker follows this many tasks at most (args, state, value each)."""


@dataclass(frozen=True)
class TraceRun:
    """What one real run of the traced file showed: every stop, and what adopting its app did."""

    source: TraceSource
    snapshots: tuple[Snapshot, ...]
    adoption: Adoption | None


def esc(text: str) -> str:
    """Literal text inside a template (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def setup_for(source: TraceSource) -> RunSetup:
    """The run set-up of a traced file."""
    return RunSetup(traced_file=str(source.path))


def trace_run(source: TraceSource) -> TraceRun:
    """Run the file once for real, to its end; its stops make the lesson's steps.

    Raises the engine's errors (the file does not import, defines no task...) and TraceInputError
    for a --call that names nothing the file defines."""
    from ..engine.run import Run
    from .lesson_run import run_config_for

    placeholder = Lesson.model_construct(id=source.lesson_id)
    config = run_config_for(placeholder, source.code, setup_for(source))
    with Run.start(config) as run:
        snapshots = tuple(run.run_to_end())
        adoption = run.adoption
    if source.from_option:
        for call in snapshots[-1].calls:
            name = unknown_name(call.error)
            if name is not None:
                tasks = ", ".join(snapshots[-1].task_names) or "none"
                raise TraceInputError(
                    f"--call {call.source!r}: {source.path.name} defines no {name!r} "
                    f"(its tasks: {tasks})",
                    2,
                )
    return TraceRun(source, snapshots, adoption)


def _task_index(snapshot: Snapshot) -> int | None:
    for index, task in enumerate(snapshot.tasks):
        if task.id is not None and task.id == snapshot.stop.task_id:
            return index
    return None


_TASK_CELLS: dict[Stage, tuple[str, str, str]] = {
    Stage.RECEIVED: (
        "{T.received_by} takes {T.short_id}",
        "Off queue '{T.queue}', not acknowledged yet",
        "State {T.state}",
    ),
    Stage.SCHEDULED: (
        "{T.name} {T.short_id} waits for its time",
        "Due at {T.eta}",
        "{timer.count} message(s) in the workers' timers",
    ),
    Stage.EXECUTING: ("{T.executed_by} runs {T.name}", "With args {T.args}", "State {T.state}"),
    Stage.RETURNED: (
        "{T.name} returns",
        "The body of {T.short_id} is done",
        "Returned {T.return_value}",
    ),
    Stage.RAISED: ("{T.name} raises", "{T.exception}", "{T.traceback}"),
    Stage.STORED: (
        "Outcome of {T.short_id}",
        "{stop.detail}",
        "State {T.state} after {T.runtime_ms:.2f} ms of work",
    ),
}
"""The table cells of a stop of one task, `T` standing for that task (`tasks[i]`)."""


def _step(snapshot: Snapshot, trace: TraceRun, calls_before: int, lines: dict[int, str]) -> Step:
    stop, stage = snapshot.stop, snapshot.stage
    index = _task_index(snapshot)
    t = f"tasks[{index}]"
    notes = esc(stop.detail or stage.value)
    thread = None if stage in (Stage.DEFINED, Stage.FINISHED) else stop.thread
    line = stop.line if stage is Stage.CALLING else None
    cells: tuple[str, str, str]
    if stage is Stage.DEFINED:
        said = trace.adoption.describe() if trace.adoption else "no Celery app of its own"
        cells = (
            f"Import {esc(trace.source.path.name)}",
            "Registered {task_names}; {worker.name} listens on {worker.queues}",
            esc(said[:1].upper() + said[1:]),
        )
    elif stage is Stage.CALLING:
        source = lines.get(stop.line or 0, "")
        took = f"; the line before took {{calls[{calls_before - 1}].work_ms:.2f}} ms"
        cells = (
            f"Line {{stop.line}}: {esc(source)}",
            "The main app runs it" + (took if calls_before else ""),
            "{depth} message(s) waiting in the queues",
        )
    elif stage is Stage.FINISHED:
        cells = (
            "Nothing more happens on its own",
            "{depth} message(s) left in the queues",
            "{elapsed_ms:.1f} ms of the run's own time",
        )
    elif index is None:
        cells = ("{stop.stage}", "{stop.thread}", "{stop.detail}")
    elif stage is Stage.QUEUED:
        cells = (
            f"Send {{{t}.name}} {{{t}.args}}",
            f"Message {{{t}.short_id}} goes to queue '{{{t}.queue}}'",
            f"Waits there (depth {{queues[{esc(str(snapshot.tasks[index].queue))}].depth}}), "
            f"state {{{t}.state}}",
        )
    elif stage in _TASK_CELLS:
        action, evaluation, result = (c.replace("{T.", f"{{{t}.") for c in _TASK_CELLS[stage])
        cells = (action, evaluation, result)
    else:
        cells = ("{stop.stage}", "{stop.thread}", "{stop.detail}")
    return Step(
        at=stage, thread=thread, line=line, action=cells[0], evaluation=cells[1],
        result=cells[2], notes=notes,
    )  # fmt: skip


def _variables(final: Snapshot) -> list[TrackedVariable]:
    rows: list[TrackedVariable] = []
    counts: dict[str, int] = {}
    for index, task in enumerate(final.tasks[:MAX_TRACKED_TASKS]):
        short = task.name.rsplit(".", 1)[-1]
        counts[short] = counts.get(short, 0) + 1
        label = f"{short} #{counts[short]}"
        t = f"tasks[{index}]"
        rows.append(TrackedVariable(name=f"{label} args", value=f"{{{t}.args}}"))
        rows.append(TrackedVariable(name=f"{label} state", value=f"{{{t}.state}}"))
        rows.append(TrackedVariable(name=f"{label} value", value=f"{{{t}.return_value}}"))
    for index, call in enumerate(final.calls):
        if call.value_type not in (None, "NoneType"):
            rows.append(
                TrackedVariable(name=f"line {call.line} gave", value=f"{{calls[{index}].value}}")
            )
    if not rows:
        rows.append(TrackedVariable(name="tasks", value="{task_names}"))
    return rows


def _tracker(steps: list[Step]) -> list[TrackerColumn]:
    picked = [i + 1 for i, step in enumerate(steps) if step.at in (Stage.STORED, Stage.RAISED)]
    columns = [TrackerColumn(label="Start", after_step=0)]
    for number in picked[:3]:
        columns.append(TrackerColumn(label=f"After Step {number}", after_step=number))
    if len(steps) not in picked[:3]:
        columns.append(TrackerColumn(label="Final", after_step=len(steps)))
    return columns


def trace_lesson(trace: TraceRun, lesson_id: str | None = None) -> Lesson:
    """The trace as a lesson: one step per real stop, its cells filled by the replay's run."""
    source, final = trace.source, trace.snapshots[-1]
    program = SampleProgram.parse(source.code, str(source.path), module=True)
    lines = {statement.line: statement.source for statement in program.calls}
    steps: list[Step] = []
    calls_before = 0
    for snapshot in trace.snapshots:
        steps.append(_step(snapshot, trace, calls_before, lines))
        if snapshot.stage is Stage.CALLING:
            calls_before += 1
    name = source.path.name
    said = trace.adoption.describe() if trace.adoption else "The file creates no Celery app"
    where = "the --call statements" if source.from_option else f"its {MAIN_LINE} block"
    outcome = "; ".join(f"{t.name} {t.state}" for t in final.tasks) or "no task message sent"
    return Lesson(
        format_version=1,
        id=lesson_id or source.lesson_id,
        title=f"Trace of {name}",
        subtitle="Your own tasks, stage by stage, on a real Celery app",
        level="intermediate",
        duration=f"{len(steps)} steps",
        run=setup_for(source),
        sample=Sample(
            code=source.code,
            explanation=f"{name} as it is; the main app runs {where}, one line a stop.",
            language_label=f"Python · {name}",
        ),
        flow=[
            FlowBox(label=f"Import {name}", stages=["defined"]),
            FlowBox(label="The main app calls", stages=["calling"]),
            FlowBox(label="Message waits", stages=["queued", "scheduled"]),
            FlowBox(
                label="A worker runs it", stages=["received", "executing", "returned", "raised"]
            ),
            FlowBox(label="Outcome stored", stages=["stored", "finished"]),
        ],
        flow_caption=f"Each box lights up while the real run of {name} is at that stage.",
        steps=steps,
        table_note="Every row is a real stop of this run: its ids, arguments, states and times.",
        variables=_variables(final),
        tracker=_tracker(steps),
        key_moments=[
            KeyMoment(
                question="Which broker did my app really use?",
                answer=said[:1].upper() + said[1:] + ".",
                step=1,
                watch="The Result column of step 1, and the broker queue under the hood.",
            )
        ],
        concept_snapshot=[
            f"{len(final.calls)} call(s) made; outcome: {outcome}.",
            "Nothing reached the broker or backend URLs written in the file.",
        ],
        transcript=(
            f"The tutor imported {name} as it is, bound its Celery app to an in-memory broker "
            f"and result store, and ran {where} one line at a time. {outcome}."
        ),
    )


def trace_quiz(lesson: Lesson) -> Quiz:
    """A quiz stub for the exported trace, for a teacher to rewrite: one choice, one order."""
    stages = [step.at for step in lesson.steps]
    stored = next((i + 1 for i, at in enumerate(stages) if at is Stage.STORED), len(stages))
    other = 1 if stored != 1 else len(stages)
    questions: list[Any] = [
        ChoiceQuestion(
            kind="choice",
            prompt="Replace this: at which step is the first outcome stored?",
            choices=[
                Choice(key="A", text=f"Step {stored}"),
                Choice(key="B", text=f"Step {other}"),
            ],
            answer="A",
            hint="Replace this: look at the Action column.",
            hint_step=stored,
            explanation=f"Replace this: step {stored} is where the backend gets the outcome.",
        )
    ]
    order = [at for at in (Stage.QUEUED, Stage.EXECUTING, Stage.STORED) if at in stages]
    if len(order) == 3:
        texts = ["The message waits in a queue", "A worker runs the body", "The outcome is stored"]
        questions.append(
            OrderQuestion(
                kind="order",
                prompt="Replace this: put these in the order the real run does them.",
                items=[OrderItem(text=t, stage=at) for t, at in zip(texts, order, strict=True)],
                hint="Replace this: follow the flow from left to right.",
                explanation="Replace this: why this order.",
            )
        )
    return Quiz(format_version=1, lesson=lesson.id, questions=questions)
