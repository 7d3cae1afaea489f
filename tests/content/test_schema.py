"""The committed JSON Schemas match the models, and every shipped file points its editor at one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.content.errors import content_root
from tutor.content.schema import (
    SCHEMA_KINDS,
    json_schema,
    regenerate_command,
    schema_file,
    schema_text,
)

ROOT = Path(__file__).resolve().parent.parent.parent
COURSE = content_root()


@pytest.mark.parametrize("kind", sorted(SCHEMA_KINDS))
def test_the_committed_schema_has_not_drifted_from_the_models(kind):
    committed = ROOT / schema_file(kind)
    assert committed.is_file(), f"missing: run `{regenerate_command(kind)}`"
    assert committed.read_text(encoding="utf-8") == schema_text(kind), (
        f"{schema_file(kind)} is out of date: run `{regenerate_command(kind)}`"
    )


def test_the_schema_text_is_sorted_indented_and_ends_with_a_newline():
    text = schema_text("lesson")
    assert text.endswith("}\n") and text.startswith('{\n  "$defs"')
    assert json.loads(text) == json_schema("lesson")


def test_an_unknown_schema_names_the_known_ones():
    with pytest.raises(ValueError, match="no schema called 'index'; the schemas are: lesson, quiz"):
        schema_text("index")


def test_the_schema_describes_the_fields_and_forbids_unknown_ones():
    schema = json_schema("lesson")
    assert schema["additionalProperties"] is False
    assert "transcript" in schema["required"]
    step = schema["$defs"]["Step"]["properties"]
    assert step["at"]["$ref"] == "#/$defs/Stage" or "enum" in str(step["at"])
    assert "placeholders" in step["action"]["description"]


@pytest.mark.parametrize(("folder", "kind"), [("lessons", "lesson"), ("quizzes", "quiz")])
def test_every_shipped_file_opens_with_its_schema_line(folder, kind):
    files = [path for path in (COURSE / folder).glob("*.toml") if path.name != "index.toml"]
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"#:schema ../docs/schema/{kind}.schema.json", path
        assert (path.parent / first.split()[1]).resolve() == ROOT / schema_file(kind)
