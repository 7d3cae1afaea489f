"""The validated field types lessons and quizzes share: text, templates, samples, stop patterns."""

from __future__ import annotations

import ast
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..engine.errors import SampleError
from ..engine.sample import SampleProgram
from ..engine.stages import Stage
from .placeholders import PLACEHOLDERS, check_template

__all__ = [
    "FORMAT_VERSION",
    "PLACEHOLDER_ROOTS",
    "NonEmpty",
    "StageName",
    "StopPattern",
    "Strict",
    "Template",
    "check_stop_pattern",
    "check_template",
    "defines_a_task",
    "known_stage",
    "parse_sample",
    "stop_matches",
]

FORMAT_VERSION = 1

PLACEHOLDER_ROOTS = frozenset(PLACEHOLDERS)
"""Names a step's text may use in {placeholders}; each is filled from the real run's snapshot."""

NonEmpty = Annotated[str, Field(min_length=1)]


def parse_sample(code: str) -> SampleProgram:
    """Parse sample code; a syntax error becomes a ValueError naming the line, and so does code
    that defines no task (checked statically: nothing runs)."""
    try:
        program = SampleProgram.parse(code, "sample")
    except SampleError as exc:
        raise ValueError(str(exc).removeprefix("sample: ")) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
        raise ValueError(f"the code cannot be parsed ({type(exc).__name__})") from None
    if not defines_a_task(ast.parse(code)):
        raise ValueError(
            "the code defines no task: decorate a function with @shared_task or @app.task"
        )
    return program


def _is_task_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name):
        return target.id == "shared_task"
    return isinstance(target, ast.Attribute) and target.attr in {"task", "shared_task"}


def defines_a_task(module: ast.Module) -> bool:
    """Whether the code defines a Celery task: a top-level function decorated with
    @shared_task, @app.task (or @app.task(...))."""
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(_is_task_decorator(decorator) for decorator in node.decorator_list)
        for node in module.body
    )


Template = Annotated[str, Field(min_length=1), AfterValidator(check_template)]
"""Text with {placeholders} filled from the real run."""


class Strict(BaseModel):
    """A model that refuses unknown fields and never changes once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def check_stop_pattern(pattern: str) -> str:
    """Accept "stage" or "stage@thread-prefix" (e.g. "executing@worker")."""
    stage, _, thread = pattern.partition("@")
    known_stage(stage)
    if "@" in pattern and not thread:
        raise ValueError(f"{pattern!r}: name a thread after '@' (main-app, worker...)")
    return pattern


def known_stage(value: object) -> object:
    """`value` unchanged if it names a stage; else a ValueError listing the stages."""
    if isinstance(value, str) and value not in {s.value for s in Stage}:
        known = ", ".join(s.value for s in Stage)
        raise ValueError(f"unknown stage {value!r} (the stages are: {known})")
    return value


StageName = Annotated[Stage, BeforeValidator(known_stage)]
"""A stage of the run, by name ("queued"); an unknown name is refused with the list."""

StopPattern = Annotated[str, AfterValidator(check_stop_pattern)]
"""A stage, optionally limited to threads whose name starts with the text after '@'."""


def stop_matches(pattern: str, stage: Stage, thread: str) -> bool:
    """Whether a stop (its stage and thread) matches a StopPattern."""
    wanted, _, prefix = pattern.partition("@")
    return stage.value == wanted and thread.startswith(prefix)
