"""Chapters are data in lessons/index.toml: the outline, prerequisites and the next lesson come
from them, and a new lesson joins the last chapter."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.content.check import course_problems
from tutor.content.errors import CONTENT_ENV, ContentError, content_root
from tutor.content.loader import load_course
from tutor.content.outline import outline_of, read_outline


def test_the_shipped_course_is_in_chapters_holding_every_lesson_once():
    course = load_course()
    outline = course.outline
    assert len(outline.chapters) >= 3
    assert outline.order == course.ids
    assert read_outline(course.ids) == outline  # the first screen reads the same, unvalidated


def test_a_lesson_builds_on_the_one_before_it_and_the_next_is_the_first_not_done():
    outline = outline_of(
        ["a", "b", "c", "d"], [{"title": "One", "lessons": ["a", "b"]}, {"title": "Two"}]
    )
    assert [chapter.title for chapter in outline.chapters] == ["One", "More lessons"]
    assert outline.prerequisite("a") is None
    assert outline.prerequisite("c") == "b"
    assert outline.next_lesson([]) == "a"
    assert outline.next_lesson(["a", "c"]) == "b"
    assert outline.next_lesson(["a", "b", "c", "d"]) is None


def test_a_course_without_chapters_is_one_and_an_unknown_chapter_is_named():
    outline = outline_of(["a", "b"], None)
    assert [(c.title, c.lessons) for c in outline.chapters] == [("Lessons", ("a", "b"))]
    with pytest.raises(ContentError, match=r"no chapter 2; the chapters are: 1 \(Lessons\)"):
        outline.chapter(2)


def test_a_new_lesson_joins_the_last_chapter_and_the_chapters_are_kept(tmp_path: Path, monkeypatch):
    shutil.copytree(content_root() / "lessons", tmp_path / "lessons")
    shutil.copytree(content_root() / "quizzes", tmp_path / "quizzes")
    shipped = load_course()
    monkeypatch.setenv(CONTENT_ENV, str(tmp_path))  # --content sets it: undone after the test
    code = main(["new", "extra", "--content", str(tmp_path)], io.StringIO(), io.StringIO())
    assert code == 0
    assert course_problems(tmp_path) == []
    course = load_course(tmp_path)
    assert course.chapters[-1].lessons[-1] == "extra"
    assert [c.title for c in course.chapters] == [c.title for c in shipped.chapters]
