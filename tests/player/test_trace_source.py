"""What `tutor trace` runs: the developer's file as it is, and the calls (no Celery needed)."""

from __future__ import annotations

import pytest

from tutor.engine.sample import SampleProgram
from tutor.player.trace_source import TraceInputError, read_source

FILE = """from celery import shared_task


@shared_task
def add(x, y):
    return x + y


if __name__ == "__main__":
    add.delay(1, 2)

add.name
"""


def test_calls_from_the_option_replace_the_main_block_and_keep_every_line_number(tmp_path):
    path = tmp_path / "My Tasks.py"
    path.write_text(FILE)
    source = read_source(str(path), ["add.delay(2, 3)", "add.apply_async((4, 5), countdown=1)"])
    lines = source.code.splitlines()
    assert lines[4] == "def add(x, y):" and lines[11] == "add.name"  # nothing moved
    assert "add.delay(1, 2)" not in source.code
    program = SampleProgram.parse(source.code, str(path), module=True)
    assert [call.source for call in program.calls] == [
        "add.delay(2, 3)",
        "add.apply_async((4, 5), countdown=1)",
    ]
    assert source.lesson_id == "trace-my-tasks" and source.from_option


def test_without_the_option_the_main_block_is_the_calls(tmp_path):
    path = tmp_path / "tasks.py"
    path.write_text(FILE)
    source = read_source(str(path), [])
    assert source.code == FILE and source.calls == ("add.delay(1, 2)",)
    program = SampleProgram.parse(source.code, "tasks.py", module=True)
    assert [(call.line, call.source) for call in program.calls] == [(10, "add.delay(1, 2)")]


def test_a_call_with_no_statement_is_refused(tmp_path):
    path = tmp_path / "tasks.py"
    path.write_text(FILE)
    with pytest.raises(TraceInputError, match="holds no statement") as raised:
        read_source(str(path), ["# nothing"])
    assert raised.value.code == 2
