"""What only the whole lesson can check: task names, step numbers and lines inside variants.

The sample is never run here: its task names are read from its definitions (a function decorated
with `@shared_task` or `@app.task`, registered as `tasks.<name>` since the sample's module is
`tasks`, or under the `name="..."` its decorator gives).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import Lesson, Variant

SAMPLE_MODULE = "tasks"
"""The module name a sample's tasks are registered under (`tasks.add`)."""


class _Steps(Protocol):
    @property
    def task(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def highlight_line(self) -> int | None: ...


class _HasTask(Protocol):
    @property
    def task(self) -> str | None: ...


def _decorator_names(node: ast.expr) -> tuple[bool, str | None]:
    """(whether it is a task decorator, the registered name it gives)."""
    target = node.func if isinstance(node, ast.Call) else node
    is_task = (isinstance(target, ast.Name) and target.id == "shared_task") or (
        isinstance(target, ast.Attribute) and target.attr in {"task", "shared_task"}
    )
    custom = None
    if is_task and isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                custom = str(keyword.value.value)
    return is_task, custom


def sample_tasks(code: str) -> dict[str, str]:
    """The sample's tasks: registered name → function name (`{"tasks.add": "add"}`)."""
    try:
        module = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, str] = {}
    for node in module.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            is_task, custom = _decorator_names(decorator)
            if is_task:
                found[custom or f"{SAMPLE_MODULE}.{node.name}"] = node.name
    return found


def task_name_problem(name: str, code: str) -> str | None:
    """Why `name` (registered or bare) names no task of the sample; None when it does."""
    tasks = sample_tasks(code)
    if name in tasks or name in tasks.values():
        return None
    known = ", ".join(f"{registered} ({bare})" for registered, bare in tasks.items()) or "none"
    return f"no task named {name!r} in the sample (its tasks are: {known})"


def task_matches(wanted: str, registered: str) -> bool:
    """Whether a task registered as `registered` is the one `wanted` names."""
    return registered == wanted or registered.rsplit(".", 1)[-1] == wanted


def _line_problems(steps: Sequence[_Steps], code: str, where: str) -> Iterator[str]:
    lines = len(code.splitlines())
    for index, step in enumerate(steps):
        for name in ("line", "highlight_line"):
            line = getattr(step, name)
            if line is not None and not 1 <= line <= lines:
                yield (
                    f"{where}steps[{index}].{name}: line {line} does not exist (the sample has "
                    f"{lines} lines)"
                )


def _task_problems(items: Sequence[_HasTask], code: str, where: str) -> Iterator[str]:
    for index, item in enumerate(items):
        if item.task is not None:
            problem = task_name_problem(item.task, code)
            if problem is not None:
                yield f"{where}[{index}].task: {problem}"


def steps_problems(
    steps: Sequence[_Steps], variables: Sequence[_HasTask], code: str, where: str = ""
) -> Iterator[str]:
    """Lines past the sample, and task names the sample does not define, in steps and tracked
    variables (`where` prefixes each field path: "variants.retry.")."""
    yield from _line_problems(steps, code, where)
    yield from _task_problems(steps, code, f"{where}steps")
    yield from _task_problems(variables, code, f"{where}variables")


def missing_step(step: int, count: int) -> str:
    """The words for a step number past the lesson's last step."""
    return f"step {step} does not exist (the lesson has {count} step{'s' if count != 1 else ''})"


def lesson_problems(lesson: Lesson) -> Iterator[str]:
    """What a lesson's fields say about each other that does not hold, one line each."""
    count = len(lesson.steps)
    for index, column in enumerate(lesson.tracker):
        if column.after_step > count:
            yield f"tracker[{index}].after_step: {missing_step(column.after_step, count)}"
    for index, moment in enumerate(lesson.key_moments):
        if moment.step > count:
            yield f"key_moments[{index}].step: {missing_step(moment.step, count)}"
        if moment.variant is not None and moment.variant not in lesson.variants:
            known = ", ".join(sorted(lesson.variants)) or "none"
            yield (
                f"key_moments[{index}].variant: no variant named {moment.variant!r} "
                f"(defined: {known})"
            )
    yield from steps_problems(lesson.steps, lesson.variables, lesson.sample.code)
    yield from beat_problems(lesson.run, lesson.sample.code)
    for name, variant in lesson.variants.items():
        yield from _variant_problems(lesson, name, variant)
        if variant.run is not None:
            code = variant.code or lesson.sample.code
            yield from beat_problems(variant.run, code, f"variants.{name}.")


def beat_problems(run: Any, code: str, where: str = "") -> Iterator[str]:
    """Beat entries (of a [run]) that name no task of the sample."""
    beat = getattr(run, "beat", None)
    for index, entry in enumerate(beat.schedule if beat is not None else ()):
        problem = task_name_problem(entry.task, code)
        if problem is not None:
            yield f"{where}run.beat.schedule[{index}].task: {problem}"


def _variant_problems(lesson: Lesson, name: str, variant: Variant) -> Iterator[str]:
    where = f"variants.{name}."
    if not variant.steps:
        for field in ("variables", "tracker", "table_note"):
            if getattr(variant, field) is not None:
                yield f"{where}{field}: only a variant with steps of its own has one"
        return
    count = len(variant.steps)
    for index, column in enumerate(variant.tracker or lesson.tracker):
        if column.after_step > count:
            missing = missing_step(column.after_step, count).replace("the lesson", "the variant")
            if variant.tracker is not None:
                yield f"{where}tracker[{index}].after_step: {missing}"
            else:
                yield f"tracker[{index}].after_step: {missing}: give variant {name!r} a tracker"
    code = variant.code or lesson.sample.code
    yield from steps_problems(variant.steps, variant.variables or [], code, where)
    if variant.variables is None:
        for problem in steps_problems([], lesson.variables, code):
            yield f"{problem} (in variant {name!r}, which uses the lesson's variables)"
