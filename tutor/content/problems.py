"""Pydantic's validation errors said as authors read them: one line per problem, naming the field.

`lessons/x.toml: steps[3].action: field required`
`lessons/x.toml: steps[0].acton: unknown field (the fields here are: at, thread, line, ...)`
"""

from __future__ import annotations

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


def _model_at(model: type[BaseModel], location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model whose fields a location (without its last part) points into, if one is."""
    current: list[Any] = [model]
    for part in location:
        following: list[Any] = []
        for kind in current:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                if isinstance(part, str) and part in kind.model_fields:
                    following += _unwrap(kind.model_fields[part].annotation)
                elif isinstance(part, str) and kind.model_fields.get("kind") is not None:
                    # a discriminated union's member, named by its tag
                    tag = get_args(kind.model_fields["kind"].annotation)
                    if part in tag:
                        following.append(kind)
            elif get_origin(kind) is list and isinstance(part, int):
                following += _unwrap(get_args(kind)[0])
            elif get_origin(kind) is dict and isinstance(part, str):
                following += _unwrap(get_args(kind)[1])
        current = following
    models = [k for k in current if isinstance(k, type) and issubclass(k, BaseModel)]
    return models[0] if len(models) == 1 else None


def _found(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _message(problem: ErrorDetails, model: type[BaseModel]) -> str:
    location = tuple(problem["loc"])
    kind = problem["type"]
    if kind == "extra_forbidden":
        owner = _model_at(model, location[:-1])
        if owner is not None:
            return f"unknown field (the fields here are: {', '.join(owner.model_fields)})"
        return "unknown field"
    message = str(problem["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = " ".join(message.split())  # one line, whatever pydantic said
    message = message[:1].lower() + message[1:]
    if kind in _SHOW_INPUT and not isinstance(problem.get("input"), dict | list):
        message += f" (found {_found(problem.get('input'))})"
    return message


def format_validation_error(
    shown: str, error: ValidationError, model: type[BaseModel] | None = None
) -> str:
    """One line per problem: `lessons/x.toml: steps[3].action: field required`."""
    lines = []
    owner = model if model is not None else BaseModel
    for problem in error.errors():
        location = location_text(tuple(problem["loc"]))
        message = _message(problem, owner)
        lines.append(f"{shown}: {location}: {message}" if location else f"{shown}: {message}")
    return "\n".join(dict.fromkeys(lines))
