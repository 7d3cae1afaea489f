"""Checking a course as an author does (`tutor check`): every problem, one line each.

`load_course` refuses what it cannot load; `course_problems` adds what it can load but an author
should hear of: lesson and quiz files the index does not know (rustlings' `dev check` fails on
stray files too). `check_course` says both, and validates the stray files as well.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, content_root, shown_path
from .files import INDEX_FILE, CourseLayout, find_course, id_problem, read_toml
from .loader import load_course, load_model
from .models import Lesson, Quiz
from .outline import UNGROUPED, outline_of
from .summary import index_entries, missing_lesson

__all__ = ["check_course", "course_problems"]


def _listed(layout: CourseLayout) -> tuple[list[str], list[str]]:
    """The ids the index lists (the valid ones), and the index's own problems."""
    try:
        return index_entries(layout)
    except ContentError as exc:  # the index itself cannot be read
        return [], exc.problems


def _stray_lessons(layout: CourseLayout, listed: set[str]) -> list[Path]:
    return [
        path
        for path in sorted(layout.lessons_dir.glob("*.toml"))
        if path.name != INDEX_FILE and path.stem not in listed
    ]


def _stray_quizzes(layout: CourseLayout, listed: set[str]) -> list[Path]:
    if not layout.quizzes_dir.is_dir():
        return []
    return [path for path in sorted(layout.quizzes_dir.glob("*.toml")) if path.stem not in listed]


def _unchaptered(layout: CourseLayout, order: list[str]) -> list[str]:
    """A listed lesson no chapter holds, in a course with chapters: one line each."""
    try:
        chapters = read_toml(layout.index, layout.root).get("chapters")
    except ContentError:
        return []
    if not isinstance(chapters, list) or not chapters:
        return []
    outline = outline_of(order, chapters)
    index = shown_path(layout.index, layout.root)
    last = outline.chapters[-1]
    if last.title != UNGROUPED:
        return []
    return [
        f"{index}: chapters: lesson {lesson_id!r} is in no chapter (add it to one)"
        for lesson_id in last.lessons
    ]


def course_problems(root: Path | None = None) -> list[str]:
    """Where the index and the files disagree, one line each (empty when they agree): ids listed
    twice or with path characters, listed lessons without a file, lesson files the index does
    not list, quizzes for no listed lesson, listed lessons no chapter holds. A lone lesson file
    has none of these.

    Never raises for a content problem, except when `root` is no course at all.
    """
    layout = find_course(content_root() if root is None else root)
    if layout.single is not None:
        return []
    order, problems = _listed(layout)
    index = shown_path(layout.index, layout.root)
    for position, lesson_id in enumerate(order):
        path = layout.lessons_dir / f"{lesson_id}.toml"
        if not path.is_file():
            problems.append(missing_lesson(layout, position, lesson_id))
    if not order:
        return problems  # no usable index: every file would look stray
    listed = set(order)
    for path in _stray_lessons(layout, listed):
        why = id_problem(path.stem)
        problems.append(
            f"{shown_path(path, layout.root)}: this lesson is not listed in {index} "
            + (f"(its name is not an id: {why})" if why else f"(add {path.stem!r} to order)")
        )
    problems += _unchaptered(layout, order)
    for path in _stray_quizzes(layout, listed):
        problems.append(
            f"{shown_path(path, layout.root)}: a quiz for no listed lesson "
            f"(no {path.stem!r} in {index})"
        )
    return problems


def check_course(root: Path | None = None) -> list[str]:
    """Every problem of a course, one line each (empty when it is sound): what `load_course`
    refuses, what `course_problems` finds, and what is wrong inside stray files."""
    root = content_root() if root is None else root
    problems: list[str] = []
    try:
        load_course(root)
    except ContentError as exc:
        problems += exc.problems
    try:
        problems += course_problems(root)
        layout = find_course(root)
    except ContentError:
        return list(dict.fromkeys(problems))
    if layout.single is None:
        listed = set(_listed(layout)[0])
        strays = [] if not listed else [(p, Lesson) for p in _stray_lessons(layout, listed)]
        for path, model in strays + [(p, Quiz) for p in _stray_quizzes(layout, listed) if listed]:
            try:
                load_model(path, model, layout.root)
            except ContentError as exc:
                problems += exc.problems
    return list(dict.fromkeys(problems))
