"""JSON Schemas of the lesson and quiz files, generated from the models.

Editors that read taplo's `#:schema` directive (Even Better TOML) use them to complete and check
a file as it is typed. The committed copies live in `docs/schema/`; a test fails when they drift
from the models, and `tutor schema lesson > docs/schema/lesson.schema.json` regenerates one.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .models import Lesson, Quiz

__all__ = ["SCHEMA_KINDS", "json_schema", "regenerate_command", "schema_file", "schema_text"]

SCHEMA_KINDS: dict[str, type[BaseModel]] = {"lesson": Lesson, "quiz": Quiz}
"""The files that have a schema, by the name `tutor schema` takes."""


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a `lesson` or `quiz` file; a ValueError naming the kinds otherwise."""
    model = SCHEMA_KINDS.get(kind)
    if model is None:
        raise ValueError(f"no schema called {kind!r}; the schemas are: {', '.join(SCHEMA_KINDS)}")
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(kind: str) -> str:
    """The schema as its committed file holds it: sorted keys, 2-space indent, final newline."""
    return json.dumps(json_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_file(kind: str) -> str:
    """Where the schema is committed, from the project root: `docs/schema/lesson.schema.json`."""
    return f"docs/schema/{kind}.schema.json"


def regenerate_command(kind: str) -> str:
    """The command that rewrites the committed schema from the models."""
    return f"tutor schema {kind} > {schema_file(kind)}"
