"""The whole lesson page, every section of the reference page, with values from the real run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from ..content.models import KeyMoment, Lesson, OrderQuestion, PredictQuestion, Quiz
from ..engine import Snapshot, Stage, TaskView
from ..player.lesson_run import LessonRun
from ..player.quiz import shown_order
from ..player.whatif import VariantOutcome
from .canvas import canvas_graph, graph_nodes, uses_canvas
from .flow import flow_diagram
from .hood import under_the_hood
from .sample import sample_code
from .table import execution_table
from .timeline import timeline
from .tracker import variable_tracker


def _heading(text: str) -> Rule:
    return Rule(Text(text, style="bold"), align="left")


def task_fate(task: TaskView, snapshot: Snapshot) -> str:
    """What became of a task, in words: returned, raised, waits for its ETA, or never ran."""
    ran = task.started_at is not None or task.executed_by is not None
    retried = f" after {task.retries} retr{'y' if task.retries == 1 else 'ies'}"
    retried = retried if task.retries else ""
    if task.returned:
        fate = f"returned {task.return_value!r}{retried}"
    elif ran and task.exception and task.exception.startswith("retry requested"):
        fate = f"{task.exception} (retries so far: {task.retries})"
    elif ran and task.exception:
        fate = f"raised {task.exception}{retried}"
    elif ran:
        fate = "started, not finished"
    elif task.id is not None and task.id in snapshot.scheduled:
        fate = f"waits in the worker's timer until {snapshot.scheduled[task.id]}"
    else:
        fate = "never ran"
    return f"{fate}; state {task.state}"


def variant_outcome(snapshot: Snapshot) -> Text:
    """What a what-if run really did: each call's outcome, the queue, the tasks' states."""
    text = Text()
    for call in snapshot.calls:
        text.append(f"  line {call.line}: {call.source}\n", style="bold")
        if call.error:
            text.append(f"    raised {call.error}\n", style="red")
        elif call.value_type:
            text.append(f"    returned {call.value!r}")
            text.append(f" (the caller was busy {call.work_ms or 0:.1f} ms)\n", style="dim")
        else:
            text.append(f"    done (the caller was busy {call.work_ms or 0:.1f} ms)\n")
    for task in snapshot.tasks:
        text.append(f"  task {task.name} {task.short_id}: {task_fate(task, snapshot)}\n")
    text.append(
        f"  queue depth at the end: {snapshot.depth}; result backend: {snapshot.backend.kind}"
    )
    return text


def key_moment(
    index: int, moment: KeyMoment, lesson: Lesson, outcome: Snapshot | VariantOutcome | None
) -> Group:
    """One key moment: the question, its answer, where to watch it, and the what-if result (a
    variant with steps of its own: its execution table and tracker too)."""
    parts: list[RenderableType] = [
        Text(f"{index}. {moment.question}", style="bold"),
        Padding(Text(moment.answer), (0, 0, 0, 3)),
        Padding(
            Text(f"Watch it at step {moment.step}: {moment.watch}", style="italic"), (0, 0, 0, 3)
        ),
    ]
    if moment.variant is not None and outcome is not None:
        label = lesson.variants[moment.variant].label
        played = outcome.played if isinstance(outcome, VariantOutcome) else None
        final = outcome.snapshot if isinstance(outcome, VariantOutcome) else outcome
        parts.append(Padding(Text(f"Tried for real ({label}):", style="bold"), (0, 0, 0, 3)))
        if played is not None:
            parts.extend(Padding(part, (0, 0, 0, 3)) for part in variant_steps(played))
        parts.append(Padding(variant_outcome(final), (0, 0, 0, 3)))
        if uses_canvas(final):
            parts.append(Padding(canvas_graph(final), (0, 0, 0, 3)))
    return Group(*parts)


def variant_steps(played: LessonRun) -> list[RenderableType]:
    """A variant with steps of its own: its code, execution table and tracker, as it ran."""
    variant = played.lesson
    return [
        Text("The code that ran:", style="dim"),
        sample_code(variant),
        Text("Its execution table:", style="dim"),
        execution_table(variant, played.results),
        variable_tracker(played),
    ]


def quiz_section(
    lesson: Lesson, quiz: Quiz, answers: Mapping[int, tuple[str, str]] | None = None
) -> Group:
    """The quiz: each question with its choices (or items) and hint; with `answers`
    (index → (answer, explanation), from the real run where it decides), those too."""
    parts: list[RenderableType] = [Text("Test your understanding", style="italic")]
    for number, question in enumerate(quiz.questions, start=1):
        label = {"predict": " (predict, then watch)", "order": " (put in order)"}.get(
            question.kind, ""
        )
        parts.append(Text(f"{number}. {question.prompt}{label}", style="bold"))
        if isinstance(question, OrderQuestion):
            for position, item in enumerate(shown_order(lesson, number - 1, question), start=1):
                parts.append(Text(f"   {position}  {question.items[item].text}"))
        else:
            for choice in question.choices:
                parts.append(Text(f"   {choice.key}  {choice.text}"))
        if isinstance(question, PredictQuestion):
            run = ""
            if question.variant is not None and question.variant in lesson.variants:
                run = f" of the what-if ({lesson.variants[question.variant].label})"
            asked = f"   Asked just before step {question.before_step}{run}."
            parts.append(Text(asked, style="dim"))
        parts.append(Text(f"   💡 Hint: {question.hint}", style="italic"))
        if answers is not None and number - 1 in answers:
            answer, explanation = answers[number - 1]
            parts.append(Text(f"   Answer: {answer} — {explanation}", style="green"))
    return Group(*parts)


def _queued_snapshot(lesson_run: LessonRun) -> Snapshot | None:
    for result in lesson_run.results:
        for snapshot in result.stops:
            if snapshot.stage is Stage.QUEUED:
                return snapshot
    return None


def _canvas_section(lesson_run: LessonRun, final: Snapshot | None) -> Iterator[RenderableType]:
    first = next(
        (
            snapshot
            for result in lesson_run.results
            for snapshot in result.stops
            if any(node.state == "waiting" for _, nodes in graph_nodes(snapshot) for node in nodes)
        ),
        None,
    )
    if first is not None:
        yield Text(f"Canvas graph at stop {first.stop.seq} ({first.stage}):", style="bold")
        yield canvas_graph(first)
    yield Text("Canvas graph at the end (every node's real final state):", style="bold")
    yield canvas_graph(final)


def lesson_page(
    lesson_run: LessonRun,
    quiz: Quiz | None,
    outcomes: Mapping[str, Snapshot | VariantOutcome],
    answers: Mapping[int, tuple[str, str]] | None = None,
) -> Iterator[RenderableType]:
    """Every section of the page, in the reference page's order, for a played lesson run."""
    lesson = lesson_run.lesson
    results = lesson_run.results
    final = results[-1].snapshot if results else None
    yield Text(lesson.title, style="bold underline")
    yield Text(f"{lesson.subtitle} · {lesson.level} · {lesson.duration}", style="dim")
    yield Text("")
    yield _heading(f"Concept Flow - {lesson.title}")
    yield flow_diagram(lesson, vertical=True)
    yield Text(lesson.flow_caption)
    yield _heading("Execution Sample")
    yield Text(lesson.sample.language_label, style="dim")
    yield sample_code(lesson)
    yield Text(lesson.sample.explanation)
    yield _heading("Execution Table")
    yield execution_table(lesson, results)
    yield _heading("Variable Tracker")
    yield variable_tracker(lesson_run)
    yield _heading(f"Key Moments - {len(lesson.key_moments)} Insights")
    for index, moment in enumerate(lesson.key_moments, start=1):
        outcome = outcomes.get(moment.variant) if moment.variant else None
        yield key_moment(index, moment, lesson, outcome)
    if quiz is not None:
        yield _heading(f"Visual Quiz - {len(quiz.questions)} Questions")
        yield quiz_section(lesson, quiz, answers)
    yield _heading("Concept Snapshot")
    yield Group(*(Text(f"• {line}") for line in lesson.concept_snapshot))
    yield _heading("Under the Hood (the real run)")
    queued = _queued_snapshot(lesson_run)
    if queued is not None:
        yield Text("While queued:", style="bold")
        yield under_the_hood(queued)
    yield Text("At the end:", style="bold")
    yield under_the_hood(final)
    if uses_canvas(final):
        yield from _canvas_section(lesson_run, final)
    yield Text("Timeline (real time, pauses for the learner removed):", style="bold")
    yield timeline(final)
    yield _heading("Full Transcript")
    yield Text(lesson.transcript.strip())
