"""A teacher's path: `tutor new`, `tutor check`, a lesson file played as it is, `--content`."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.content.errors import CONTENT_ENV, content_root

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _own_environment():
    """--content and --stage-timeout set the environment for the run: undo it after each test."""
    names = (CONTENT_ENV, "TUTOR_STAGE_TIMEOUT")
    saved = {name: os.environ.pop(name, None) for name in names}
    yield
    for name, value in saved.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _copy_course(tmp_path: Path) -> Path:
    shutil.copytree(content_root() / "lessons", tmp_path / "lessons")
    shutil.copytree(content_root() / "quizzes", tmp_path / "quizzes")
    return tmp_path


def test_check_passes_on_the_shipped_course_with_a_row_per_lesson():
    code, out, err = _run("check")
    assert code == 0, out + err
    for lesson_id in ("course", "delay", "direct-vs-delay"):
        row = next(line for line in out.splitlines() if f" {lesson_id} " in line)
        assert "✔ passed" in row
    assert "5 steps reached" in out and "3 predictions" in out and "1 variant run" in out


def test_a_teacher_writes_checks_and_plays_a_new_lesson(tmp_path):
    course = tmp_path / "course"
    code, out, err = _run("new", "my-lesson", "--content", str(course))
    assert code == 0, err
    assert (course / "lessons" / "my-lesson.toml").read_text().startswith("#:schema ")
    assert (course / "quizzes" / "my-lesson.toml").exists()
    assert 'order = ["my-lesson"]' in (course / "lessons" / "index.toml").read_text()
    assert (course / "schema" / "lesson.schema.json").exists()
    code, out, err = _run("check", "--content", str(course))
    assert code == 0, out + err
    assert "my-lesson" in out and "✔ passed" in out
    code, out, err = _run("run", "my-lesson", "--content", str(course), "--plain", "--width", "200")
    assert code == 0, err
    assert "Returns 21" in out  # multiply(3, 7), computed by the real worker


def test_new_refuses_to_overwrite_and_refuses_an_id_with_path_characters(tmp_path):
    assert _run("new", "first", "--content", str(tmp_path))[0] == 0
    code, _, err = _run("new", "first", "--content", str(tmp_path))
    assert code == 1 and "already exists: nothing was written" in err
    assert err.count("\n") == 1
    code, _, err = _run("new", "../escape", "--content", str(tmp_path))
    assert code == 2 and "cannot be a lesson id" in err
    assert not (tmp_path.parent / "escape.toml").exists()


def test_check_names_the_file_and_field_of_a_prediction_nobody_can_answer(tmp_path):
    course = _copy_course(tmp_path)
    quiz = course / "quizzes" / "delay.toml"
    quiz.write_text(
        quiz.read_text().replace('{ key = "B", text = "1" }', '{ key = "B", text = "7" }')
    )
    code, out, err = _run("check", "delay", "--content", str(course))
    assert code == 1
    assert "✘ quizzes/delay.toml: questions[0].choices: the real run gives '1'" in out
    assert "tutor: 1 problem(s) in 1 part(s) of the course" in err


def test_check_names_a_placeholder_that_has_no_value_at_its_step(tmp_path):
    course = _copy_course(tmp_path)
    lesson = course / "lessons" / "delay.toml"
    lesson.write_text(
        lesson.read_text().replace(
            'action = "Call add.delay(4, 6)"',
            'action = "Call add.delay(4, 6) = {task.return_value}"',
        )
    )
    code, out, _ = _run("check", "delay", "--content", str(course))
    assert code == 1
    assert (
        "✘ lessons/delay.toml: steps[1].action: {task.return_value} has no value yet at this step"
        in out
    )


def test_one_lesson_file_plays_on_its_own(tmp_path):
    shutil.copy(content_root() / "lessons" / "delay.toml", tmp_path / "mine.toml")
    code, out, err = _run("run", str(tmp_path / "mine.toml"), "--narrate")
    assert code == 0, err
    assert out.startswith("Lesson delay: Calling tasks asynchronously.")
    code, _, err = _run("run", str(tmp_path / "missing.toml"), "--plain")
    assert code == 2 and err == f"tutor: {tmp_path / 'missing.toml'}: no such lesson file\n"


def _tutor(*argv: str, **kwargs) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tutor", *argv], cwd=ROOT, stderr=subprocess.PIPE, **kwargs
    )


def test_the_lesson_screen_without_a_terminal_is_one_line_and_status_2():
    done = _tutor("delay", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    out, err = done.communicate(timeout=30)
    assert done.returncode == 2 and out == b""
    assert err.decode().splitlines() == [
        "tutor: the lesson screen needs a terminal (standard input and output); "
        "'tutor run LESSON --plain' prints a lesson instead"
    ]


def test_plain_output_into_a_closed_pipe_ends_quietly():
    narrating = _tutor("run", "direct-vs-delay", "--narrate", stdout=subprocess.PIPE)
    assert narrating.stdout is not None
    assert narrating.stdout.readline().startswith(b"Lesson direct-vs-delay")
    narrating.stdout.close()  # the reader goes away, as `| head -1` does
    _, err = narrating.communicate(timeout=30)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_ctrl_c_in_a_plain_command_exits_130_without_a_traceback():
    playing = _tutor("run", "direct-vs-delay", "--narrate", stdout=subprocess.PIPE)
    assert playing.stdout is not None
    playing.stdout.readline()  # the real run has started (its direct call takes a second)
    playing.send_signal(signal.SIGINT)
    _, err = playing.communicate(timeout=30)
    assert playing.returncode == 130
    assert err.decode().splitlines()[-1] == "tutor: interrupted"
    assert b"Traceback" not in err


def test_content_given_to_tutor_itself_serves_every_command(tmp_path):
    assert _run("new", "only-one", "--content", str(tmp_path))[0] == 0
    os.environ.pop(CONTENT_ENV)
    code, out, err = _run("--content", str(tmp_path), "list")
    assert code == 0, err
    assert out.split()[0] == "only-one"
