"""docs/authoring.md covers every field and every placeholder; its example values come from real
runs. Regenerate its two reference tables with `python -m tests.content.test_authoring_doc`."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tutor.content.loader import load_course
from tutor.content.models import Lesson
from tutor.content.placeholders import PLACEHOLDERS, Kind, placeholder_names
from tutor.content.quiz_models import (
    ChoiceQuestion,
    OrderQuestion,
    PredictQuestion,
    Quiz,
)
from tutor.engine.stages import Stage

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "authoring.md"

RAISING = """from celery import shared_task

@shared_task
def divide(x, y):
    return x / y

result = divide.delay(1, y=0)
result.get(timeout=5)
"""
"""A second real run, for the values the delay lesson never produces (an exception, an error)."""

WAITING = """from celery import shared_task

@shared_task(bind=True, default_retry_delay=0.2)
def flaky(self, n):
    if self.request.retries < 1:
        raise self.retry(exc=ValueError("not yet"))
    return n

flaky.delay(3)
flaky.apply_async((4,), countdown=0.3)
flaky.apply_async((5,), queue="slow")
"""
"""A third, for a retry, a countdown in the worker's timer and a queue no worker consumes."""

BEAT = """from celery import shared_task

@shared_task
def send_report(label):
    return f"report {label}"

print("the main app does its own work")
"""
"""A fourth, with a beat service sending send_report on a schedule."""

NO_ENGINE_VALUE_YET: set[str] = set()
"""Placeholders the engine does not fill yet (the vocabulary has them; their rows say so)."""


def _real_contexts() -> Iterator[dict[str, Any]]:
    """The context at every stop of real runs: `delay`, its what-if, a task that raises, a retry
    and a countdown, beat."""
    from tutor.engine.config import BeatEntrySpec, BeatSpec
    from tutor.engine.run import Run, RunConfig
    from tutor.player.context import build_context
    from tutor.player.lesson_run import LessonRun, run_config

    delay = load_course().lesson("delay")
    with LessonRun(delay) as lesson_run:
        while not lesson_run.finished:
            lesson_run.advance_stop()
        yield from (build_context(snapshot) for snapshot in lesson_run.stops)
    for config in (
        run_config(delay, "no-backend"),
        RunConfig(code=RAISING),
        RunConfig(code=WAITING),
        RunConfig(
            code=BEAT,
            beat=BeatSpec(
                (BeatEntrySpec("report-every-2s", "tasks.send_report", 0.3, ("daily",)),)
            ),
        ),
    ):
        run = Run.start(config)
        try:
            yield from (build_context(snapshot) for snapshot in run.run_to_end())
        finally:
            run.close()


def _concrete(name: str, context: dict[str, Any], index: int) -> str:
    """A written placeholder with its [N] and [NAME] made real (item `index`, the first key)."""
    from tutor.player.context import Fields

    if "[NAME]" not in name:
        return name.replace("[N]", f"[{index}]", 1).replace("[N]", "[0]")
    head, tail = name.replace("[N]", f"[{index}]", 1).replace("[N]", "[0]").split("[NAME]", 1)
    value: Any = context
    for part in re.findall(r"\w+|\[\d+\]", head):
        if part.startswith("["):
            value = value[int(part[1:-1])] if len(value) > int(part[1:-1]) else {}
        elif isinstance(value, dict):
            value = value.get(part, {})
        else:
            value = value.values.get(part, {}) if isinstance(value, Fields) else {}
    keys = list(value) if isinstance(value, dict) else []
    return f"{head}[{keys[0]}]{tail}" if keys else f"{head}[x]{tail}"


def real_examples() -> dict[str, tuple[str, str]]:
    """Every written placeholder → (the form filled, its first value in a real run)."""
    from tutor.player.context import fill

    found: dict[str, tuple[str, str]] = {}
    for context in _real_contexts():
        for name in placeholder_names():
            for index in range(3) if name not in found else ():
                concrete = _concrete(name, context, index)
                if _entry(name).kind is Kind.NUMBER and isinstance(
                    _value(concrete, context), float
                ):
                    concrete += ":.2f"
                value = fill(f"{{{concrete}}}", context, missing="")
                value = value.replace("\n", " ⏎ ")
                if value:
                    found[name] = (concrete, value if len(value) <= 48 else value[:45] + "...")
                    break
    return found


def _value(concrete: str, context: dict[str, Any]) -> object:
    import string

    try:
        return string.Formatter().get_field(concrete, (), context)[0]
    except (LookupError, AttributeError, TypeError):
        return None


def placeholder_table() -> str:
    """The Markdown table of every placeholder, with a value from a real run."""
    examples = real_examples()
    rows = ["| Placeholder | Kind | What it holds | In a real run |", "|---|---|---|---|"]
    for name in placeholder_names():
        entry = _entry(name)
        concrete, value = examples.get(name, (name, ""))
        shown = f"`{{{concrete}}}` → `{value}`" if value else "(no value in these runs)"
        if not value and name in NO_ENGINE_VALUE_YET:
            shown = "(not reported by the engine yet: shows …)"
        rows.append(f"| `{{{name}}}` | {entry.kind} | {entry.about} | {shown} |")
    return "\n".join(rows)


def _entry(name: str) -> Any:
    parts = re.findall(r"\w+", name.replace("[N]", "").replace("[NAME]", ""))
    entry = PLACEHOLDERS[parts[0]]
    for part in parts[1:]:
        entry = entry.fields[part]
    return entry


def _fields(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for name, field in model.model_fields.items():
        required = "required" if field.is_required() else f"default `{_default(field)}`"
        about = (field.description or "").replace("|", "\\|").replace("\n", " ")
        yield f"| `{prefix}{name}` | {required} | {about} |"


def _default(field: Any) -> str:
    import json

    from pydantic_core import to_jsonable_python

    value = field.get_default(call_default_factory=True)
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        return "its fields' defaults"
    return json.dumps(to_jsonable_python(value)).replace("|", "\\|")


def field_tables() -> str:
    """The Markdown tables of every field of a lesson and of a quiz, from the models."""
    from tutor.content.models import (
        BeatEntry,
        BeatSetup,
        FlowBox,
        KeyMoment,
        RunSetup,
        Sample,
        Step,
        TrackedVariable,
        TrackerColumn,
        Variant,
        WorkerSetup,
    )
    from tutor.content.quiz_models import Choice, OrderItem

    sections = [
        ("A lesson file", [(Lesson, ""), (RunSetup, "run."), (WorkerSetup, "run.workers[]."),
                           (BeatSetup, "run.beat."), (BeatEntry, "run.beat.schedule[]."),
                           (Sample, "sample."), (FlowBox, "flow[]."), (Step, "steps[]."),
                           (TrackedVariable, "variables[]."), (TrackerColumn, "tracker[]."),
                           (KeyMoment, "key_moments[]."), (Variant, "variants.NAME.")]),
        ("A quiz file", [(Quiz, ""), (ChoiceQuestion, "questions[] (choice)."),
                         (PredictQuestion, "questions[] (predict)."),
                         (OrderQuestion, "questions[] (order)."), (Choice, "choices[]."),
                         (OrderItem, "items[].")]),
    ]  # fmt: skip
    out = []
    for title, models in sections:
        out += [f"#### {title}", "", "| Field | | What it is |", "|---|---|---|"]
        for model, prefix in models:
            out += list(_fields(model, prefix))
        out.append("")
    return "\n".join(out).rstrip()


def _section(text: str, name: str) -> str:
    found = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert found, f"docs/authoring.md has no {name} section"
    return found.group(1)


def test_the_doc_lists_every_placeholder_with_a_real_value():
    table = _section(DOC.read_text(encoding="utf-8"), "placeholders")
    for name in placeholder_names():
        row = next(
            (line for line in table.splitlines() if line.startswith(f"| `{{{name}}}` |")), ""
        )
        assert row, f"{name} missing: run `python -m tests.content.test_authoring_doc`"
        entry = _entry(name)
        if entry.kind is not Kind.MAPPING and name not in NO_ENGINE_VALUE_YET:
            assert "→" in row, f"{name} has no real example value"


def test_the_doc_lists_every_field_as_the_models_have_it():
    assert _section(DOC.read_text(encoding="utf-8"), "fields") == field_tables(), (
        "the field tables drifted: run `python -m tests.content.test_authoring_doc`"
    )


def test_the_doc_names_every_stage_and_every_question_kind():
    text = DOC.read_text(encoding="utf-8")
    for stage in Stage:
        assert f"`{stage.value}`" in text, stage
    for kind in ("choice", "predict", "order"):
        assert f'kind = "{kind}"' in text


def test_the_worked_example_in_the_doc_loads(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(#:schema[^\n]*lesson[^\n]*\nformat_version.*?)```", text, re.S)
    assert example, "no worked example"
    (tmp_path / "first-task.toml").write_text(example.group(1))
    course = load_course(tmp_path / "first-task.toml")
    assert course.ids == ["first-task"]
    from tutor.player.lesson_run import LessonRun

    with LessonRun(course.lesson("first-task")) as lesson_run:
        results = lesson_run.play_all()
    assert results[-1].result.startswith("Returns hello ada after ")


def _rewrite() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, body in (("placeholders", placeholder_table()), ("fields", field_tables())):
        text = re.sub(
            rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)",
            lambda found, body=body: found.group(1) + body + found.group(2),
            text,
            flags=re.S,
        )
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    _rewrite()
    sys.exit(0)
