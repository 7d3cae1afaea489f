"""Every broken file of the corpus gives one clear line per problem, and nothing else escapes.

Each case under `broken/` breaks ONE thing of the sound lesson and quiz in `broken/_base/`:
`lessons/*.toml` are lesson files, `quizzes/*.toml` quizzes of the base lesson, and `courses/*/`
hold files laid over a sound course folder. `broken/expected.toml` says the line the author must
read for each (a line ending in "..." is matched on its start).
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from tutor.content.check import check_course, course_problems
from tutor.content.errors import ContentError
from tutor.content.loader import load_course
from tutor.content.summary import read_summaries

CORPUS = Path(__file__).parent / "broken"
BASE = CORPUS / "_base"
EXPECTED: dict[str, dict[str, list[str]]] = tomllib.loads(
    (CORPUS / "expected.toml").read_text(encoding="utf-8")
)


def _cases(kind: str) -> list[str]:
    folder = CORPUS / kind
    return sorted(path.name for path in folder.iterdir())


def _matches(line: str, expected: str) -> bool:
    return line.startswith(expected[:-3]) if expected.endswith("...") else line == expected


def _assert_lines(lines: list[str], expected: list[str]) -> None:
    assert len(lines) == len(expected), "\n".join(lines)
    for line, wanted in zip(lines, expected, strict=True):
        assert _matches(line, wanted), f"\n got: {line}\nwant: {wanted}"
        assert "\n" not in line and "Traceback" not in line and len(line) < 400


def _lone_lesson(tmp_path: Path, case: Path) -> Path:
    target = tmp_path / case.name
    shutil.copy(case, target)
    return target


def _base_with_quiz(tmp_path: Path, case: Path) -> Path:
    shutil.copy(BASE / "lesson.toml", tmp_path / "base.toml")
    shutil.copy(case, tmp_path / "base.quiz.toml")
    return tmp_path / "base.toml"


def _course(tmp_path: Path, case: Path | None) -> Path:
    (tmp_path / "lessons").mkdir(parents=True)
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "lessons/index.toml").write_text('format_version = 1\norder = ["base"]\n')
    shutil.copy(BASE / "lesson.toml", tmp_path / "lessons/base.toml")
    shutil.copy(BASE / "quiz.toml", tmp_path / "quizzes/base.toml")
    if case is not None:
        shutil.copytree(case, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_the_corpus_is_big_and_every_case_has_its_expected_line():
    cases = {kind: _cases(kind) for kind in ("lessons", "quizzes", "courses")}
    assert sum(len(names) for names in cases.values()) >= 30
    for kind, names in cases.items():
        assert sorted(EXPECTED[kind]) == names, kind


def test_the_base_is_sound(tmp_path):
    root = _base_with_quiz(tmp_path, BASE / "quiz.toml")
    course = load_course(root)
    assert course.ids == ["base"] and course.quiz("base") is not None
    assert check_course(_course(tmp_path / "course", None)) == []


@pytest.mark.parametrize("name", _cases("lessons"))
def test_a_broken_lesson_file_says_what_is_wrong(tmp_path, name):
    root = _lone_lesson(tmp_path, CORPUS / "lessons" / name)
    with pytest.raises(ContentError) as caught:
        load_course(root)
    _assert_lines(caught.value.problems, EXPECTED["lessons"][name])
    _assert_lines(check_course(root), EXPECTED["lessons"][name])
    try:
        read_summaries(root)  # the fast path reads little, but never fails otherwise
    except ContentError as exc:
        assert exc.problems == caught.value.problems


@pytest.mark.parametrize("name", _cases("quizzes"))
def test_a_broken_quiz_says_what_is_wrong(tmp_path, name):
    root = _base_with_quiz(tmp_path, CORPUS / "quizzes" / name)
    with pytest.raises(ContentError) as caught:
        load_course(root)
    _assert_lines(caught.value.problems, EXPECTED["quizzes"][name])
    assert [summary.id for summary in read_summaries(root)] == ["base"]


@pytest.mark.parametrize("name", _cases("courses"))
def test_a_broken_course_folder_says_what_is_wrong(tmp_path, name):
    root = _course(tmp_path, CORPUS / "courses" / name)
    _assert_lines(check_course(root), EXPECTED["courses"][name])
    for reader in (load_course, read_summaries, course_problems):
        try:
            reader(root)
        except ContentError as exc:
            assert set(exc.problems) <= set(check_course(root))
