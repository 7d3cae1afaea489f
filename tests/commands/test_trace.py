"""`tutor trace FILE` as a developer types it: their own tasks.py, real Celery, no mocks."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests.traced import TASKS_MODULE, anybody_connected
from tutor.cli import main
from tutor.content.errors import CONTENT_ENV

MUL = TASKS_MODULE


def tutor(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def tasks_py(tmp_path, listening, monkeypatch) -> Path:
    """A tasks.py whose broker and backend point at the listening port, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CONTENT_ENV, "")  # `tutor check --content` sets it: undone after the test
    path = tmp_path / "tasks.py"
    path.write_text(MUL.format(port=listening.getsockname()[1]), encoding="utf-8")
    return path


def test_plain_shows_their_task_return_42_and_success_without_touching_their_broker(
    tasks_py, listening
):
    code, out, err = tutor("trace", "tasks.py", "--call", "mul.delay(6, 7)", "--plain")
    assert code == 0, err
    assert "Returned 42" in out
    assert "State SUCCESS" in out
    port = listening.getsockname()[1]
    assert f"broker_url redis://127.0.0.1:{port}/0" in out  # named as replaced, never contacted
    assert "replaced, never contacted" in out
    assert "Your app's settings: replaced by the tutor's in-memory broker" in out  # the hood
    assert not anybody_connected(listening)


def test_a_chain_of_their_tasks_draws_the_canvas_graph(tasks_py, listening):
    call = "chain(mul.s(6, 7), add.s(8)).delay()"
    code, out, err = tutor("trace", "tasks.py", "--call", call, "--plain", "--width", "120")
    assert code == 0, err
    graph = out.split("Canvas graph at the end")[1]
    assert "✓ succeeded mul(6, 7)" in graph and "returned 42" in graph
    assert "✓ succeeded add(8)" in graph and "ran with [42, 8], returned 50" in graph
    assert not anybody_connected(listening)


def test_without_call_the_main_block_is_played_and_narrated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "helpers.py").write_text("def double(n):\n    return n * 2\n")
    (tmp_path / "jobs.py").write_text(
        "from celery import shared_task\nfrom helpers import double\n\n\n"
        "@shared_task\ndef twice(n):\n    return double(n)\n\n\n"
        'if __name__ == "__main__":\n    twice.delay(21)\n'
    )
    code, out, err = tutor("trace", "jobs.py", "--narrate")
    assert code == 0, err
    assert "jobs.twice returned 42" in out
    assert "helpers" not in sys.modules and str(tmp_path) not in sys.path


def test_their_exception_names_their_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "boom.py").write_text(
        "from celery import shared_task\n\n\n@shared_task\ndef explode():\n"
        '    raise ValueError("boom")\n'
    )
    code, out, err = tutor(
        "trace", "boom.py", "--call", "explode.delay()", "--plain", "--width", "400"
    )
    assert code == 0, err
    assert f'File "{tmp_path / "boom.py"}", line 6, in explode' in out
    assert "ValueError: boom" in out


def test_export_writes_a_lesson_and_quiz_that_tutor_check_accepts(tasks_py, listening):
    code, out, err = tutor(
        "trace", "tasks.py", "--call", "mul.delay(6, 7)", "--export-lesson", "my-trace.toml"
    )
    assert code == 0, err
    lesson, quiz = Path("my-trace.toml"), Path("my-trace.quiz.toml")
    assert f"wrote {lesson} and {quiz}" in out
    assert 'id = "my-trace"' in lesson.read_text() and "traced_file" in lesson.read_text()
    code, out, err = tutor("check", "--content", str(lesson))
    assert code == 0, out + err
    assert "my-trace" in out
    code, out, err = tutor("run", str(lesson), "--plain")
    assert code == 0, err
    assert "Returned 42" in out
    assert not anybody_connected(listening)


@pytest.mark.parametrize(
    ("files", "argv", "said", "status"),
    [
        ({}, ["missing.py", "--call", "x"], "missing.py: no such file", 2),
        ({"bad.py": "def f(:\n"}, ["bad.py"], "bad.py: line 1: invalid syntax", 1),
        (
            {"imp.py": "import nope_module\n"},
            ["imp.py", "--call", "x"],
            "imp.py: line 1 raised ModuleNotFoundError: No module named 'nope_module'",
            1,
        ),
        (
            {"none.py": "x = 1\n"},
            ["none.py", "--call", "x"],
            "none.py: it defines no Celery task",
            1,
        ),
        (
            {"ex.py": "import sys\nsys.exit(3)\n"},
            ["ex.py", "--call", "x"],
            "ex.py: line 2 raised SystemExit: 3",
            1,
        ),
        (
            {"t.py": MUL.format(port=1)},
            ["t.py", "--call", "nope.delay(1)"],
            "--call 'nope.delay(1)': t.py defines no 'nope' (its tasks: t.add, t.mul)",
            2,
        ),
        (
            {"t.py": MUL.format(port=1)},
            ["t.py", "--call", "mul.delay(1,"],
            "--call 'mul.delay(1,': '(' was never closed",
            2,
        ),
        (
            {"t.py": MUL.format(port=1)},
            ["t.py"],
            't.py has no if __name__ == "__main__": block',
            2,
        ),
        (
            {"w.py": MUL.format(port=1) + '\nif __name__ == "__main__":\n    app.start()\n'},
            ["w.py"],
            'w.py: its if __name__ == "__main__": block starts a Celery worker (line 16: '
            "app.start())",
            2,
        ),
    ],
    ids=[
        "missing",
        "syntax",
        "import",
        "no-task",
        "sys-exit",
        "unknown",
        "bad-call",
        "no-main",
        "starts-worker",
    ],
)
def test_bad_input_is_one_line_and_a_status(tmp_path, monkeypatch, files, argv, said, status):
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    code, out, err = tutor("trace", *argv, "--plain")
    assert code == status
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith(f"tutor: {said}"), err
    assert "Traceback" not in err and out == ""


def test_a_file_whose_tasks_all_live_in_a_sibling_says_which_module_to_trace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mytasks.py").write_text(
        "from celery import shared_task\n\n@shared_task\ndef add(x, y):\n    return x + y\n"
    )
    (tmp_path / "main.py").write_text(
        'from mytasks import add\n\nif __name__ == "__main__":\n    add.delay(1, 2)\n'
    )
    code, out, err = tutor("trace", "main.py", "--plain")
    assert code == 1 and out == ""
    assert err.strip() == (
        "tutor: main.py: cannot be played as a lesson (the code defines no task: decorate a "
        "function with @shared_task or @app.task); trace the module that defines the tasks"
    )


def test_an_export_that_cannot_be_written_is_one_line(tasks_py):
    code, _, err = tutor(
        "trace", "tasks.py", "--call", "mul.delay(6, 7)", "--export-lesson", "no/such/folder/x.toml"
    )
    assert code == 1 and err.startswith("tutor: --export-lesson no/such/folder/x.toml: cannot be")
    code, _, err = tutor("trace", "tasks.py", "--export-lesson", "tasks.py")
    assert code == 2 and "must end in .toml" in err
    assert "from celery import" in tasks_py.read_text()  # their file untouched


def test_help_says_what_trace_does(capsys):
    try:
        main(["trace", "--help"], io.StringIO(), io.StringIO())
    except SystemExit as exit_:
        assert exit_.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--call EXPR" in out and "--export-lesson OUT.toml" in out
    assert "never contacted" in out
