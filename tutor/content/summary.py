"""The lesson list without validation (no pydantic): enough for the first screen to paint fast.

The full course is validated right after, off the UI thread; a broken file is reported then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from .errors import ContentError, UnknownLesson, content_root, shown_path
from .files import INDEX_FILE, CourseLayout, find_course, id_problem, read_toml, read_toml_head

__all__ = [
    "INDEX_FILE",
    "LessonSummary",
    "check_lesson_id",
    "index_entries",
    "index_order",
    "missing_lesson",
    "read_summaries",
    "read_toml",
]


SUMMARY_KEYS = ("id", "title", "level", "duration")
"""The keys of a lesson file the lesson list reads (a lesson file starts with them)."""


class LessonSummary(NamedTuple):
    """What the lesson list shows of a lesson."""

    id: str
    title: str
    level: str
    duration: str


def index_entries(layout: CourseLayout) -> tuple[list[str], list[str]]:
    """The usable lesson ids of the index, in order, and the index's problems (one line each):
    no `order`, an entry that is not an id (path characters), an id listed twice."""
    shown = shown_path(layout.index, layout.root)
    order = read_toml(layout.index, layout.root).get("order")
    if order is None:
        return [], [f"{shown}: order: field required (the lesson ids, in course order)"]
    if not isinstance(order, list) or not order:
        return [], [f'{shown}: order: must be a list of lesson ids, like ["delay"]']
    ids: list[str] = []
    problems = []
    first_at: dict[str, int] = {}
    for position, lesson_id in enumerate(order):
        problem = id_problem(lesson_id)
        if problem is not None:
            problems.append(f"{shown}: order[{position}]: {problem}")
        elif lesson_id in first_at:
            problems.append(
                f"{shown}: order[{position}]: {lesson_id!r} is listed twice "
                f"(also order[{first_at[lesson_id]}])"
            )
        else:
            first_at[lesson_id] = position
            ids.append(lesson_id)
    return ids, problems


def index_order(layout: CourseLayout) -> list[str]:
    """The lesson ids of the index, in order; a ContentError (one line per problem) when the
    index is broken: no `order`, an entry that is not an id (path characters), an id twice."""
    ids, problems = index_entries(layout)
    if problems:
        raise ContentError("\n".join(problems))
    return ids


def _summary(data: dict[str, Any], lesson_id: str) -> LessonSummary:
    return LessonSummary(
        id=lesson_id,
        title=str(data.get("title", lesson_id)),
        level=str(data.get("level", "")),
        duration=str(data.get("duration", "")),
    )


def read_summaries(root: Path | None = None) -> list[LessonSummary]:
    """The lessons in course order, read (not validated) from their files.

    `root` is a course folder or one lesson .toml file (then the course is that lesson alone).
    """
    layout = find_course(content_root() if root is None else root)
    if layout.single is not None:
        data = read_toml_head(layout.single, layout.root, SUMMARY_KEYS)
        lesson_id = data.get("id")
        if id_problem(lesson_id) is not None:
            lesson_id = layout.single.stem
        return [_summary(data, str(lesson_id))]
    summaries = []
    for position, lesson_id in enumerate(index_order(layout)):
        path = layout.lessons_dir / f"{lesson_id}.toml"
        if not path.is_file():
            raise ContentError(missing_lesson(layout, position, lesson_id))
        summaries.append(_summary(read_toml_head(path, layout.root, SUMMARY_KEYS), lesson_id))
    return summaries


def missing_lesson(layout: CourseLayout, position: int, lesson_id: str) -> str:
    """The line saying an index entry has no lesson file."""
    path = layout.lessons_dir / f"{lesson_id}.toml"
    return (
        f"{shown_path(layout.index, layout.root)}: order[{position}]: no file "
        f"{shown_path(path, layout.root)} for lesson {lesson_id!r}"
    )


def check_lesson_id(summaries: list[LessonSummary], lesson_id: str) -> None:
    """UnknownLesson (listing the valid ids) unless `lesson_id` is one of the lessons."""
    ids = [summary.id for summary in summaries]
    if lesson_id not in ids:
        raise UnknownLesson(lesson_id, ids)
