"""The {placeholders} a lesson's text may use: the static vocabulary, and the check of a template.

`tutor.player.context.build_context` fills these names from a snapshot of the real run; a test
plays a real lesson and checks that this vocabulary and the real context hold exactly the same
names and fields. No pydantic and no Celery here: the checker is plain Python.
"""

from __future__ import annotations

import _string
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "PLACEHOLDERS",
    "Kind",
    "Placeholder",
    "check_template",
    "placeholder_names",
    "template_problem",
]


class Kind(StrEnum):
    """What a placeholder holds, which decides how it may be written."""

    NUMBER = "number"
    """An int or float: `{call.work_ms:.1f}`."""
    TEXT = "text"
    """A string: `{task.state}`, `{task.state:>8}`."""
    FLAG = "flag"
    """True or False."""
    VALUE = "value"
    """Whatever the sample's code produced (a number, a string, None...)."""
    LIST = "list"
    """A list of values: written whole, or one item by number, `{task.args[0]}`."""
    MAPPING = "mapping"
    """Named values: written whole, or one by name, `{task.arguments[x]}`."""
    RECORD = "record"
    """A group of named fields: write one of them, `{queue.depth}`."""
    RECORDS = "records"
    """A list of records: pick one by number, then a field, `{calls[0].work_ms}`."""
    NAMED = "named records"
    """Records by name: pick one by its name, then a field, `{queues[celery].depth}`."""


@dataclass(frozen=True)
class Placeholder:
    """One name of the vocabulary (or one field of a record)."""

    kind: Kind
    about: str
    """What it is, in a few words (for authors)."""
    example: object = None
    """A typical value (format specs are tried on it); records have fields instead."""
    fields: Mapping[str, Placeholder] = field(default_factory=dict)
    """The fields of a record, or of each record of a list."""


def _p(kind: Kind, example: object, about: str) -> Placeholder:
    return Placeholder(kind, about, example)


_TASK = {
    "id": _p(Kind.TEXT, "3f1c9a52-…", 'the task id ("direct call" when called directly)'),
    "short_id": _p(Kind.TEXT, "3f1c9a52", "the first 8 characters of the id"),
    "name": _p(Kind.TEXT, "tasks.add", "the registered task name"),
    "args": _p(Kind.LIST, [4, 6], "the positional arguments in the message"),
    "kwargs": _p(Kind.MAPPING, {}, "the keyword arguments in the message"),
    "queue": _p(Kind.TEXT, "celery", 'the queue the message went to ("none")'),
    "state": _p(Kind.TEXT, "PENDING", "the state Celery reports (PENDING, STARTED, SUCCESS…)"),
    "arguments": _p(Kind.MAPPING, {"x": 4, "y": 6}, "the arguments by parameter name"),
    "locals": _p(Kind.MAPPING, {"x": 4}, "the body's local variables, once it started"),
    "return_value": _p(Kind.VALUE, 10, "what the body returned"),
    "exception": _p(Kind.TEXT, "ValueError('boom')", "what the body raised"),
    "executed_by": _p(Kind.TEXT, "worker-1", "the worker that ran the body"),
    "received_by": _p(Kind.TEXT, "worker-1", "the worker that took the message"),
    "published_by": _p(Kind.TEXT, "main-app", "the thread that sent the message"),
    "runtime_ms": _p(Kind.NUMBER, 0.09, "how long the body ran, in ms"),
    "stored": _p(Kind.MAPPING, {"status": "SUCCESS"}, "what the result backend holds"),
    "direct": _p(Kind.FLAG, False, "true when the task was called directly, not sent"),
    "retries": _p(Kind.NUMBER, 1, "how many times it was retried so far"),
    "eta": _p(Kind.TEXT, "2025-01-01T12:00:03+00:00", "when it may run (countdown, ETA, retry)"),
    "traceback": _p(Kind.TEXT, "Traceback…", "the traceback of what it raised, line by line"),
}
_CALL = {
    "line": _p(Kind.NUMBER, 7, "the sample line of the call"),
    "source": _p(Kind.TEXT, "add.delay(4, 6)", "the statement as written"),
    "thread": _p(Kind.TEXT, "main-app", "the thread that ran it"),
    "work_ms": _p(Kind.NUMBER, 1.9, "how long the statement took, in ms"),
    "waited_ms": _p(Kind.NUMBER, 10.4, "ms of run time blocked in get(), wait() or a COMMIT"),
    "at_commit": _p(Kind.FLAG, False, "whether it waits at a COMMIT, the workers first"),
    "value": _p(Kind.VALUE, "<AsyncResult: 3f1c…>", "what the statement gave back"),
    "value_type": _p(Kind.TEXT, "AsyncResult", "the type of that value"),
    "error": _p(Kind.TEXT, "NotImplementedError(…)", "what the statement raised"),
    "done": _p(Kind.FLAG, True, "whether the statement is over"),
}
_QUEUE = {
    "name": _p(Kind.TEXT, "celery", "the queue's name"),
    "depth": _p(Kind.NUMBER, 1, "how many messages wait in it"),
}
_WORKER = {
    "name": _p(Kind.TEXT, "worker-1", "the worker's name"),
    "status": _p(Kind.TEXT, "idle", "what it is doing"),
    "thread": _p(Kind.TEXT, "worker-1", "its thread"),
    "queues": _p(Kind.TEXT, "celery", "the queues it listens on, comma-separated"),
}
_BEAT = {
    "name": _p(Kind.TEXT, "report-every-2s", "the entry's name in beat_schedule"),
    "service": _p(Kind.TEXT, "beat", 'the beat service keeping it ("beat", "beat-2")'),
    "task": _p(Kind.TEXT, "tasks.send_report", "the task it sends"),
    "every": _p(Kind.NUMBER, 2.0, "its interval, in seconds"),
    "sent": _p(Kind.NUMBER, 1, "how many times beat sent it so far (total_run_count)"),
    "seconds_left": _p(Kind.NUMBER, 1.4, "seconds until it is due again (run time)"),
    "status": _p(Kind.TEXT, "running", "running, or stopped"),
}
_STOP = {
    "stage": _p(Kind.TEXT, "queued", "the stage"),
    "thread": _p(Kind.TEXT, "main-app", "the thread holding"),
    "detail": _p(Kind.TEXT, "the message waits in queue 'celery'", "what just happened"),
    "line": _p(Kind.NUMBER, 7, "the sample line running"),
}
_BACKEND = {
    "kind": _p(Kind.TEXT, "in-memory", "what kind of backend"),
    "configured": _p(Kind.FLAG, True, "whether there is one"),
    "entries": _p(Kind.NUMBER, 1, "how many results it holds"),
    "ignore_result": _p(Kind.FLAG, False, "whether tasks ignore their results"),
}
_CALLER = {
    "status": _p(Kind.TEXT, "running", "running, about to run a line or COMMIT, finished"),
    "variables": _p(Kind.MAPPING, {"result": "<AsyncResult…>"}, "its variables"),
}

PLACEHOLDERS: Mapping[str, Placeholder] = {
    "task": Placeholder(
        Kind.RECORD, "the task a step speaks of (its `task`, else the first one sent)", None, _TASK
    ),
    "tasks": Placeholder(Kind.RECORDS, "every task of the run, in order", None, _TASK),
    "call": Placeholder(Kind.RECORD, "the caller's latest statement", None, _CALL),
    "calls": Placeholder(Kind.RECORDS, "every statement the caller ran, in order", None, _CALL),
    "queue": Placeholder(Kind.RECORD, "the task's queue", None, _QUEUE),
    "queues": Placeholder(Kind.NAMED, "every queue by name, consumed or not", None, _QUEUE),
    "timer": Placeholder(
        Kind.RECORD,
        "the workers' timers: messages waiting for their countdown or ETA",
        None,
        {
            "count": _p(Kind.NUMBER, 1, "how many messages wait in a worker's timer"),
            "next_eta": _p(Kind.TEXT, "2025-01-01 12:00:03+00:00", "the soonest ETA among them"),
            "seconds_left": _p(Kind.NUMBER, 2.5, "seconds until the soonest one is due"),
        },
    ),
    "beat": Placeholder(Kind.RECORD, "the run's (first) celery beat entry", None, _BEAT),
    "beats": Placeholder(Kind.RECORDS, "every entry of every beat service", None, _BEAT),
    "depth": _p(Kind.NUMBER, 1, "how many messages wait in all queues"),
    "worker": Placeholder(Kind.RECORD, "the first worker", None, _WORKER),
    "workers": Placeholder(Kind.RECORDS, "every worker", None, _WORKER),
    "stop": Placeholder(Kind.RECORD, "where the run is held", None, _STOP),
    "backend": Placeholder(Kind.RECORD, "the result backend", None, _BACKEND),
    "task_names": _p(Kind.TEXT, "tasks.add", "the registered task names, comma-separated"),
    "caller": Placeholder(Kind.RECORD, "the main app", None, _CALLER),
    "elapsed_ms": _p(Kind.NUMBER, 2.4, "the run's own time so far, in ms (pauses left out)"),
}
"""Every name a {placeholder} may start with, and what it holds."""


def placeholder_names() -> list[str]:
    """Every placeholder as an author writes it: `queue.depth`, `calls[N].work_ms`,
    `task.arguments[NAME]`..."""
    return [name for name, _ in _walk()]


def _walk() -> Iterator[tuple[str, Placeholder]]:
    for name, entry in PLACEHOLDERS.items():
        yield from _written(name, entry)


def _written(path: str, entry: Placeholder) -> Iterator[tuple[str, Placeholder]]:
    if entry.kind is Kind.RECORD:
        for name, inner in entry.fields.items():
            yield from _written(f"{path}.{name}", inner)
    elif entry.kind is Kind.RECORDS:
        for name, inner in entry.fields.items():
            yield from _written(f"{path}[N].{name}", inner)
    elif entry.kind is Kind.NAMED:
        for name, inner in entry.fields.items():
            yield from _written(f"{path}[NAME].{name}", inner)
    elif entry.kind is Kind.MAPPING:
        yield f"{path}[NAME]", entry
    elif entry.kind is Kind.LIST:
        yield path, entry
        yield f"{path}[N]", entry
    else:
        yield path, entry


def _fields_of(shown: str, entry: Placeholder) -> str:
    return f"{shown} has {', '.join(entry.fields)}"


def _resolve(field_name: str) -> tuple[Placeholder | None, str | None]:
    """The vocabulary entry a field name reaches (None past a dynamic key), or the problem."""
    first, rest = _string.formatter_field_name_split(field_name)
    if first == "":
        return None, "an empty placeholder {} names nothing (write {{ and }} for braces)"
    entry = PLACEHOLDERS.get(str(first))
    if entry is None:
        return None, (
            f"unknown placeholder {{{field_name}}}: the names are {', '.join(sorted(PLACEHOLDERS))}"
        )
    shown = str(first)
    for is_attribute, key in rest:
        access = f".{key}" if is_attribute else f"[{key}]"
        if entry.kind is Kind.RECORD:
            if not is_attribute:
                return None, (
                    f"placeholder {{{field_name}}}: {shown} is not a list or mapping: "
                    f"use {shown}.{key}"
                )
            inner = entry.fields.get(str(key))
            if inner is None:
                return None, f"unknown placeholder {{{field_name}}}: {_fields_of(shown, entry)}"
            entry = inner
        elif entry.kind is Kind.RECORDS:
            if is_attribute or not isinstance(key, int):
                return None, (
                    f"placeholder {{{field_name}}}: {shown} is a list: pick one by number, "
                    f"like {shown}[0].{next(iter(entry.fields))}"
                )
            entry = Placeholder(Kind.RECORD, entry.about, None, entry.fields)
        elif entry.kind is Kind.NAMED:
            if is_attribute:
                return None, (
                    f"placeholder {{{field_name}}}: {shown} holds records by name: pick one, "
                    f"like {shown}[celery].{next(iter(entry.fields))}"
                )
            entry = Placeholder(Kind.RECORD, entry.about, None, entry.fields)
        elif entry.kind in (Kind.MAPPING, Kind.LIST):
            if is_attribute:
                hint = f"{shown}[{key}]" if entry.kind is Kind.MAPPING else f"{shown}[0]"
                return None, f"placeholder {{{field_name}}}: {shown} is a {entry.kind}: use {hint}"
            if entry.kind is Kind.LIST and not isinstance(key, int):
                return None, f"placeholder {{{field_name}}}: {shown} is a list: use {shown}[0]"
            return None, None  # a value the run decides: anything further is the sample's own
        else:
            return None, (
                f"placeholder {{{field_name}}}: {shown} is a {entry.kind} and has no {access}"
            )
        shown += access
    if entry.kind is Kind.RECORD:
        return None, f"placeholder {{{field_name}}} needs a field: {_fields_of(shown, entry)}"
    if entry.kind is Kind.RECORDS:
        return None, (
            f"placeholder {{{field_name}}} needs a number and a field, like "
            f"{shown}[0].{next(iter(entry.fields))}"
        )
    if entry.kind is Kind.NAMED:
        return None, (
            f"placeholder {{{field_name}}} needs a name and a field, like "
            f"{shown}[celery].{next(iter(entry.fields))}"
        )
    return entry, None


def _spec_problem(
    field_name: str, spec: str, conversion: str | None, entry: Placeholder | None
) -> str | None:
    whole = f"{{{field_name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
    if conversion is not None and conversion not in "rsa":
        return f"placeholder {whole}: unknown conversion '!{conversion}' (use !r, !s or !a)"
    if "{" in spec:
        return f"placeholder {whole}: a placeholder inside a format spec is not supported"
    if not spec:
        return None
    if conversion is not None:
        tries: list[tuple[str, object]] = [("text", "text")]
    elif entry is None or entry.kind in (Kind.VALUE, Kind.FLAG):
        tries = [("number", 10), ("text", "text")]
    else:
        tries = [(str(entry.kind), entry.example)]
    reasons = []
    for kind, example in tries:
        try:
            format(example, spec)
        except (ValueError, TypeError) as exc:
            reasons.append(f"{kind}: {str(exc)[:1].lower()}{str(exc)[1:]}")
        else:
            return None
    return f"placeholder {whole}: format ':{spec}' does not suit a {'; '.join(reasons)}"


def template_problem(text: str) -> str | None:
    """What is wrong with the {placeholders} of `text`, in one line (None when nothing is)."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        return f"malformed placeholder: {exc} (write {{{{ or }}}} for a literal brace)"
    for _, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        try:
            entry, problem = _resolve(field_name)
        except ValueError as exc:
            return f"malformed placeholder {{{field_name}}}: {exc}"
        problem = problem or _spec_problem(field_name, spec or "", conversion, entry)
        if problem is not None:
            return problem
    return None


def check_template(text: str) -> str:
    """`text` unchanged; a ValueError saying what is wrong when a placeholder is unknown or its
    format spec does not suit its value."""
    problem = template_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text
