"""The placeholder vocabulary is what a real run fills, and a template is checked against it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from tutor.content.loader import load_course
from tutor.content.placeholders import (
    PLACEHOLDERS,
    Kind,
    Placeholder,
    placeholder_names,
    template_problem,
)
from tutor.player.context import UNDEFINED, Fields, build_context
from tutor.player.lesson_run import LessonRun


@pytest.fixture(scope="module")
def contexts() -> list[dict[str, Any]]:
    """The context of every step of a real run of `delay`, played to its end."""
    with LessonRun(load_course().lesson("delay")) as lesson_run:
        while not lesson_run.finished:
            lesson_run.advance_stop()
        results = lesson_run.results
        assert len(results) == len(lesson_run.lesson.steps)
        return [build_context(result.snapshot) for result in results]


BEAT_SAMPLE = """from celery import shared_task

@shared_task
def send_report(label):
    return label

print("up")
"""


@pytest.fixture(scope="module")
def beat_contexts() -> list[dict[str, Any]]:
    """The context at every stop of a real run with a beat service (delay has none)."""
    from tutor.engine import BeatEntrySpec, BeatSpec, Run, RunConfig

    beat = BeatSpec((BeatEntrySpec("report", "tasks.send_report", 0.2, ("daily",)),), stop_after=2)
    with Run.start(RunConfig(code=BEAT_SAMPLE, beat=beat)) as run:
        return [build_context(snapshot) for snapshot in run.run_to_end()]


def _shape(value: object) -> object:
    """The names and fields of a context value (records as dicts of their fields)."""
    if isinstance(value, Fields):
        return {name: _shape(inner) for name, inner in value.values.items()}
    if isinstance(value, list) and value and isinstance(value[0], Fields):
        return [_shape(value[0])]
    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), Fields):
        return {"NAME": _shape(next(iter(value.values())))}
    return None


def _vocabulary_shape(entry: Placeholder) -> object:
    if entry.kind is Kind.RECORD:
        return {name: _vocabulary_shape(inner) for name, inner in entry.fields.items()}
    if entry.kind is Kind.RECORDS:
        return [{name: _vocabulary_shape(inner) for name, inner in entry.fields.items()}]
    if entry.kind is Kind.NAMED:
        return {"NAME": {name: _vocabulary_shape(inner) for name, inner in entry.fields.items()}}
    return None


_KIND_TYPES: Mapping[Kind, tuple[type, ...]] = {
    Kind.NUMBER: (int, float),
    Kind.TEXT: (str,),
    Kind.FLAG: (bool,),
    Kind.LIST: (list,),
    Kind.MAPPING: (dict,),
}


def test_the_vocabulary_has_exactly_the_names_and_fields_of_a_real_context(contexts, beat_contexts):
    real = {name: _shape(value) for name, value in contexts[-1].items()}
    real |= {name: _shape(beat_contexts[-1][name]) for name in ("beat", "beats")}
    assert real == {name: _vocabulary_shape(entry) for name, entry in PLACEHOLDERS.items()}


def _leaves(value: object, entry: Placeholder, path: str):
    if entry.kind is Kind.RECORD and isinstance(value, Fields):
        for name, inner in entry.fields.items():
            yield from _leaves(value.values[name], inner, f"{path}.{name}")
    elif entry.kind is Kind.NAMED and isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item, Placeholder(Kind.RECORD, "", None, entry.fields), path)
    elif entry.kind is Kind.RECORDS and isinstance(value, list):
        for item in value:
            yield from _leaves(item, Placeholder(Kind.RECORD, "", None, entry.fields), path)
    elif value is not UNDEFINED:
        yield path, entry, value


def test_every_value_the_real_run_gives_is_of_the_kind_the_vocabulary_says(contexts, beat_contexts):
    seen = set()
    for context in contexts + beat_contexts:
        for name, entry in PLACEHOLDERS.items():
            for path, leaf, value in _leaves(context[name], entry, name):
                seen.add(path)
                if leaf.kind in _KIND_TYPES:
                    assert isinstance(value, _KIND_TYPES[leaf.kind]), (path, value)
                    if leaf.kind is Kind.NUMBER:
                        assert not isinstance(value, bool), path
                assert isinstance(leaf.example, _KIND_TYPES.get(leaf.kind, (object,))), path
    assert len(seen) > 40  # most fields really had a value at some step


@pytest.mark.parametrize("name", placeholder_names())
def test_every_listed_placeholder_is_accepted(name):
    concrete = name.replace("[N]", "[0]").replace("[NAME]", "[x]")
    assert template_problem(f"{{{concrete}}}") is None


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{queue.depthh}", "unknown placeholder {queue.depthh}: queue has name, depth"),
        (
            "{call.work_ms:.1q}",
            "placeholder {call.work_ms:.1q}: format ':.1q' does not suit a "
            "number: unknown format code 'q' for object of type 'float'",
        ),
        (
            "{task.state:d}",
            "placeholder {task.state:d}: format ':d' does not suit a text: "
            "unknown format code 'd' for object of type 'str'",
        ),
        (
            "{task.state!x}",
            "placeholder {task.state!x}: unknown conversion '!x' (use !r, !s or !a)",
        ),
        (
            "{calls[x].line}",
            "placeholder {calls[x].line}: calls is a list: pick one by number, like calls[0].line",
        ),
        ("{task[id]}", "placeholder {task[id]}: task is not a list or mapping: use task.id"),
        ("{queue.depth.x}", "placeholder {queue.depth.x}: queue.depth is a number and has no .x"),
        (
            "{task.args:>4}",
            "placeholder {task.args:>4}: format ':>4' does not suit a list: "
            "unsupported format string passed to list.__format__",
        ),
        ("{}", "an empty placeholder {} names nothing (write {{ and }} for braces)"),
        (
            "{queues.celery}",
            "placeholder {queues.celery}: queues holds records by name: pick one, like "
            "queues[celery].name",
        ),
        (
            "{queues[slow]}",
            "placeholder {queues[slow]} needs a field: queues[slow] has name, depth",
        ),
        (
            "{timer.left}",
            "unknown placeholder {timer.left}: timer has count, next_eta, seconds_left",
        ),
        (
            "{task.retries:.1q}",
            "placeholder {task.retries:.1q}: format ':.1q' does not suit a number: ...",
        ),
    ],
)
def test_a_bad_placeholder_is_said_in_one_line(template, problem):
    found = template_problem(template)
    if problem.endswith("..."):
        assert found is not None and found.startswith(problem[:-3]), found
    else:
        assert found == problem


@pytest.mark.parametrize(
    "template",
    [
        "{caller.variables[result]}",
        "{task.arguments[x]} + {task.arguments[y]}",
        "{calls[0].work_ms:.1f} ms",
        "{task.return_value:>6}",
        "{task.state!r:>10}",
        "{{literal braces}} and {depth:d}",
        "{workers[1].name}",
        "{queues[slow].depth} in {queues[slow].name}",
        "{timer.count} waiting, soonest {timer.next_eta}, {timer.seconds_left:.1f} s left",
        "{task.retries} retries, eta {task.eta}: {task.traceback}",
        "{beat.name} sends {beat.task} every {beat.every:g} s: sent {beat.sent}, next in "
        "{beat.seconds_left:.1f} s ({beats[1].service} is {beats[1].status})",
    ],
)
def test_dynamic_keys_and_sound_format_specs_are_accepted(template):
    assert template_problem(template) is None
