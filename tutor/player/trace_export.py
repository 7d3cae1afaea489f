"""A trace written out as lesson files: the lesson, and a quiz stub beside it (TOML, by hand).

The files are what a teacher starts from: `tutor check` accepts them as written, and `tutor run
FILE.toml` plays them (the traced file must still be where the lesson says).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..content.models import Lesson, Quiz

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if "\n" in value and "'''" not in value and not value.endswith("'"):
            return "'''\n" + value + "'''"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + pairs + " }" if pairs else "{}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _pairs(data: dict[str, Any]) -> list[str]:
    return [f"{_key(key)} = {_value(value)}" for key, value in data.items() if value is not None]


def dumps(data: dict[str, Any]) -> str:
    """`data` (JSON-like) as TOML: scalars first, then tables, then arrays of tables."""
    tables = {k: v for k, v in data.items() if isinstance(v, dict) and v}
    arrays = {
        k: v
        for k, v in data.items()
        if isinstance(v, list) and v and all(isinstance(item, dict) for item in v)
    }
    scalars = {k: v for k, v in data.items() if k not in tables and k not in arrays}
    lines = _pairs(scalars)
    for key, table in tables.items():
        lines += ["", f"[{_key(key)}]", *_pairs(table)]
    for key, items in arrays.items():
        for item in items:
            lines += ["", f"[[{_key(key)}]]", *_pairs(item)]
    return "\n".join(lines) + "\n"


def _data(model: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True)
    return data


def lesson_toml(lesson: Lesson) -> str:
    """The lesson file's text."""
    head = (
        f"# Written by `tutor trace` from a real run of {lesson.run.traced_file}.\n"
        "# Every {placeholder} is filled from the replay's own run; edit the text into a lesson.\n"
    )
    return head + dumps(_data(lesson))


def quiz_toml(quiz: Quiz) -> str:
    """The quiz stub's text."""
    head = "# A quiz stub written by `tutor trace`: replace every 'Replace this' text.\n"
    return head + dumps(_data(quiz))


def quiz_path(lesson_file: Path) -> Path:
    """Where a single lesson file's quiz is looked for: beside it, as NAME.quiz.toml."""
    return lesson_file.with_name(f"{lesson_file.stem}.quiz.toml")


def write_lesson(lesson: Lesson, quiz: Quiz, out: Path) -> tuple[Path, Path]:
    """Write the lesson to `out` and its quiz beside it; returns both paths."""
    quiz_file = quiz_path(out)
    out.write_text(lesson_toml(lesson), encoding="utf-8")
    quiz_file.write_text(quiz_toml(quiz), encoding="utf-8")
    return out, quiz_file
