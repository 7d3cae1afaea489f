"""The validated field types lessons and quizzes share: text, templates, samples, stop patterns."""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..engine.errors import SampleError
from ..engine.sample import SampleProgram
from ..engine.stages import Stage

__all__ = [
    "FORMAT_VERSION",
    "PLACEHOLDER_ROOTS",
    "NonEmpty",
    "StopPattern",
    "Strict",
    "Template",
    "check_stop_pattern",
    "check_template",
    "parse_sample",
    "stop_matches",
]

FORMAT_VERSION = 1

PLACEHOLDER_ROOTS = frozenset(
    {
        "task",
        "tasks",
        "call",
        "calls",
        "queue",
        "depth",
        "worker",
        "workers",
        "stop",
        "backend",
        "task_names",
        "caller",
        "elapsed_ms",
    }
)
"""Names a step's text may use in {placeholders}; each is filled from the real run's snapshot."""

NonEmpty = Annotated[str, Field(min_length=1)]


def parse_sample(code: str) -> SampleProgram:
    """Parse sample code; a syntax error becomes a ValueError naming the line."""
    try:
        return SampleProgram.parse(code, "sample")
    except SampleError as exc:
        raise ValueError(str(exc).removeprefix("sample: ")) from None


def check_template(text: str) -> str:
    """Reject text whose {placeholders} are malformed or name something the snapshot lacks."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"malformed placeholder: {exc}") from None
    for _, field_name, _, _ in parts:
        if field_name is None:
            continue
        root = field_name.split(".", 1)[0].split("[", 1)[0]
        if root not in PLACEHOLDER_ROOTS:
            allowed = ", ".join(sorted(PLACEHOLDER_ROOTS))
            raise ValueError(f"unknown placeholder {{{field_name}}} (use one of: {allowed})")
    return text


Template = Annotated[str, Field(min_length=1), AfterValidator(check_template)]
"""Text with {placeholders} filled from the real run."""


class Strict(BaseModel):
    """A model that refuses unknown fields and never changes once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_stop_pattern(pattern: str) -> str:
    """Accept "stage" or "stage@thread-prefix" (e.g. "executing@worker")."""
    stage, _, thread = pattern.partition("@")
    if stage not in {s.value for s in Stage}:
        known = ", ".join(s.value for s in Stage)
        raise ValueError(f"unknown stage {stage!r} (use one of: {known})")
    if "@" in pattern and not thread:
        raise ValueError(f"{pattern!r}: name a thread after '@' (main-app, worker...)")
    return pattern


StopPattern = Annotated[str, AfterValidator(check_stop_pattern)]
"""A stage, optionally limited to threads whose name starts with the text after '@'."""


def stop_matches(pattern: str, stage: Stage, thread: str) -> bool:
    """Whether a stop (its stage and thread) matches a StopPattern."""
    wanted, _, prefix = pattern.partition("@")
    return stage.value == wanted and thread.startswith(prefix)
