"""Pydantic's validation errors said as authors read them: one line per problem, naming the field.

`lessons/x.toml: steps[3].action: field required`
`lessons/x.toml: steps[0].acton: unknown field (the fields here are: at, thread, line, ...)`
"""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

__all__ = ["format_validation_error", "location_text"]

_SHOW_INPUT = {
    "int_parsing",
    "int_type",
    "bool_parsing",
    "bool_type",
    "string_type",
    "float_type",
    "float_parsing",
    "list_type",
    "dict_type",
    "model_type",
    "literal_error",
    "string_pattern_mismatch",
    "int_from_float",
    "greater_than_equal",
    "less_than_equal",
    "model_attributes_type",
}
"""Error types where showing what the file says helps (`found 'four'`)."""


def location_text(location: tuple[int | str, ...]) -> str:
    """A pydantic location as the field path an author reads: `steps[3].action`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _unwrap(annotation: Any) -> list[Any]:
    """The types an annotation may hold (Annotated, Optional and unions opened)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [inner for arg in get_args(annotation) for inner in _unwrap(arg)]
    return [annotation]


def _walk(
    model: type[BaseModel], location: tuple[int | str, ...]
) -> tuple[tuple[int | str, ...], type[BaseModel] | None]:
    """The location without the tags pydantic adds for a question's kind, and the model its
    last part is a field of (None when that is not one model)."""
    current: list[Any] = [model]
    shown: list[int | str] = []
    owner: type[BaseModel] | None = model
    for part in location:
        models = [k for k in current if isinstance(k, type) and issubclass(k, BaseModel)]
        owner = models[0] if len(models) == 1 else None
        tagged = [
            k
            for k in models
            if "kind" in k.model_fields and part in get_args(k.model_fields["kind"].annotation)
        ]
        if isinstance(part, str) and len(models) > 1 and tagged:
            current = tagged  # a tag naming the member of a union: not a field
            continue
        shown.append(part)
        following: list[Any] = []
        for kind in current:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                if isinstance(part, str) and part in kind.model_fields:
                    following += _unwrap(kind.model_fields[part].annotation)
            elif get_origin(kind) is list and isinstance(part, int):
                following += _unwrap(get_args(kind)[0])
            elif get_origin(kind) is dict and isinstance(part, str):
                following += _unwrap(get_args(kind)[1])
        current = following
    return tuple(shown), owner


def _found(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


_PATH_PREFIX = re.compile(r"^(?P<path>[A-Za-z_][\w.\[\]]*): (?P<rest>.*)$")


def _message(problem: ErrorDetails, owner: type[BaseModel] | None, missing: list[str]) -> str:
    kind = problem["type"]
    if kind == "extra_forbidden":
        name = str(problem["loc"][-1])
        fields = list(owner.model_fields) if owner is not None else []
        close = difflib.get_close_matches(name, missing or fields, n=1)
        if close:
            return f"unknown field: did you mean {close[0]!r}?"
        if fields:
            return f"unknown field (the fields here are: {', '.join(fields)})"
        return "unknown field"
    message = str(problem["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = " ".join(message.split())  # one line, whatever pydantic said
    message = message[:1].lower() + message[1:]
    if kind in _SHOW_INPUT:
        message += f" (found {_found(problem.get('input'))})"
    return message


def format_validation_error(
    shown: str, error: ValidationError, model: type[BaseModel] | None = None
) -> str:
    """One line per problem: `lessons/x.toml: steps[3].action: field required`.

    A misspelt field is one problem, not two: its "unknown field" line names the field it
    probably meant, and that field's "field required" line is left out.
    """
    root = model if model is not None else BaseModel
    problems = [(problem, *_walk(root, tuple(problem["loc"]))) for problem in error.errors()]
    missing: dict[tuple[int | str, ...], list[str]] = {}
    for problem, location, _ in problems:
        if problem["type"] == "missing":
            missing.setdefault(location[:-1], []).append(str(location[-1]))
    meant: set[tuple[int | str, ...]] = set()
    lines = []
    for problem, location, owner in problems:
        if problem["type"] == "missing" and location in meant:
            continue
        message = _message(problem, owner, missing.get(location[:-1], []))
        if problem["type"] == "extra_forbidden" and "did you mean" in message:
            guess = message.split("'")[1]
            meant.add((*location[:-1], guess))
        path = location_text(location)
        found = _PATH_PREFIX.match(message)
        if found and path and problem["type"] == "value_error":
            path, message = f"{path}.{found['path']}", found["rest"]
        lines.append(f"{shown}: {path}: {message}" if path else f"{shown}: {message}")
    lines = [
        line
        for line in lines
        if not any(line == f"{shown}: {location_text(m)}: field required" for m in meant)
    ]
    return "\n".join(dict.fromkeys(lines))
