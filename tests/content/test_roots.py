"""A course is a folder or one lesson file; what is not a course says so in one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.content.check import check_course, course_problems
from tutor.content.errors import CONTENT_ENV, ContentError, content_root
from tutor.content.files import MAX_FILE_BYTES
from tutor.content.loader import load_course
from tutor.content.summary import read_summaries

SOURCE = content_root()
BASE = Path(__file__).parent / "broken" / "_base"


def _error(call, *args) -> str:
    with pytest.raises(ContentError) as caught:
        call(*args)
    return str(caught.value)


def test_the_shipped_course_has_no_problems():
    assert check_course() == []


def test_one_lesson_file_is_a_course_of_one_lesson(tmp_path):
    shutil.copy(SOURCE / "lessons/delay.toml", tmp_path / "delay.toml")
    course = load_course(tmp_path / "delay.toml")
    assert course.ids == ["delay"] and course.quiz("delay") is None
    assert [summary.title for summary in read_summaries(tmp_path / "delay.toml")] == [
        "Calling tasks asynchronously"
    ]
    assert course_problems(tmp_path / "delay.toml") == []


@pytest.mark.parametrize(
    "quiz_at", ["delay.quiz.toml", "quizzes/delay.toml", "../quizzes/delay.toml"]
)
def test_a_lone_lesson_finds_its_quiz_beside_it(tmp_path, quiz_at):
    lesson = tmp_path / "lessons" / "delay.toml"
    lesson.parent.mkdir()
    shutil.copy(SOURCE / "lessons/delay.toml", lesson)
    quiz = (lesson.parent / quiz_at).resolve()
    quiz.parent.mkdir(exist_ok=True)
    shutil.copy(SOURCE / "quizzes/delay.toml", quiz)
    assert load_course(lesson).quiz("delay") is not None


def test_a_lone_lessons_quiz_in_the_folder_above_is_named_from_there(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "quizzes").mkdir()
    shutil.copy(BASE / "lesson.toml", tmp_path / "lessons/base.toml")
    quiz = (BASE / "quiz.toml").read_text().replace("hint_step = 2", "hint_step = 7")
    (tmp_path / "quizzes/base.toml").write_text(quiz)
    assert _error(load_course, tmp_path / "lessons/base.toml") == (
        "../quizzes/base.toml: questions[1].hint_step: step 7 does not exist "
        "(the lesson has 2 steps)"
    )


def test_a_missing_folder_is_named(tmp_path):
    missing = tmp_path / "nowhere"
    message = f"{missing}: no such file or folder (give a course folder or a lesson .toml file)"
    assert _error(load_course, missing) == message
    assert _error(read_summaries, missing) == message
    assert check_course(missing) == [message]


def test_a_folder_without_an_index_says_what_should_be_there(tmp_path):
    (tmp_path / "lessons").mkdir()
    message = _error(load_course, tmp_path)
    assert message == (
        f"{tmp_path}: not a course folder: lessons/index.toml is missing (a course folder "
        "holds lessons/index.toml, lessons/<id>.toml and quizzes/<id>.toml)"
    )
    assert _error(read_summaries, tmp_path) == message
    assert check_course(tmp_path) == [message]


def test_a_file_over_one_megabyte_is_refused_before_it_is_parsed(tmp_path):
    huge = tmp_path / "huge.toml"
    huge.write_text('title = "' + "x" * MAX_FILE_BYTES + '"\n[[[')  # not even valid TOML
    assert _error(load_course, huge) == (
        "huge.toml: the file is 1,000,014 bytes; a content file must be under 1,000,000 bytes"
    )


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    assert _error(load_course, tmp_path / "notes.txt") == (
        f"{tmp_path / 'notes.txt'}: a lesson file is a .toml file"
    )


def test_an_index_entry_with_path_characters_is_never_read(tmp_path, monkeypatch):
    shutil.copytree(SOURCE / "lessons", tmp_path / "lessons")
    shutil.copytree(SOURCE / "quizzes", tmp_path / "quizzes")
    (tmp_path / "lessons/index.toml").write_text(
        'format_version = 1\norder = ["../quizzes/delay"]\n'
    )
    opened: list[Path] = []
    real_read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    for call in (load_course, read_summaries):
        assert "order[0]: '../quizzes/delay' is not a lesson id" in _error(call, tmp_path)
    assert all(path.name == "index.toml" for path in opened), opened


def test_the_content_variable_may_name_one_lesson_file(tmp_path, monkeypatch):
    shutil.copy(SOURCE / "lessons/delay.toml", tmp_path / "mine.toml")
    monkeypatch.setenv(CONTENT_ENV, str(tmp_path / "mine.toml"))
    assert load_course().ids == ["delay"]
    assert [summary.id for summary in read_summaries()] == ["delay"]


def test_reading_summaries_of_a_lone_file_imports_no_pydantic(tmp_path):
    shutil.copy(SOURCE / "lessons/delay.toml", tmp_path / "delay.toml")
    probe = (
        "import sys; from pathlib import Path; from tutor.content.summary import read_summaries; "
        f"read_summaries(Path({str(tmp_path / 'delay.toml')!r})); print('pydantic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
