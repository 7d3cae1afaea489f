"""The lesson list without validation (no pydantic): enough for the first screen to paint fast.

The full course is validated right after, off the UI thread; a broken file is reported then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ContentError, UnknownLesson, content_root, shown_path
from .files import INDEX_FILE, CourseLayout, find_course, id_problem, read_toml

__all__ = [
    "INDEX_FILE",
    "LessonSummary",
    "check_lesson_id",
    "index_order",
    "read_summaries",
    "read_toml",
]


@dataclass(frozen=True)
class LessonSummary:
    """What the lesson list shows of a lesson."""

    id: str
    title: str
    level: str
    duration: str


def index_order(layout: CourseLayout) -> list[str]:
    """The lesson ids of the index, in order; a ContentError (one line per problem) when the
    index is broken: no `order`, an entry that is not an id (path characters), an id twice."""
    shown = shown_path(layout.index, layout.root)
    order = read_toml(layout.index, layout.root).get("order")
    if order is None:
        raise ContentError(f"{shown}: order: field required (the lesson ids, in course order)")
    if not isinstance(order, list) or not order:
        raise ContentError(f'{shown}: order: must be a list of lesson ids, like ["delay"]')
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
    if problems:
        raise ContentError("\n".join(problems))
    return [str(lesson_id) for lesson_id in order]


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
        data = read_toml(layout.single, layout.root)
        lesson_id = data.get("id")
        if id_problem(lesson_id) is not None:
            lesson_id = layout.single.stem
        return [_summary(data, str(lesson_id))]
    summaries = []
    for lesson_id in index_order(layout):
        data = read_toml(layout.lessons_dir / f"{lesson_id}.toml", layout.root)
        summaries.append(_summary(data, lesson_id))
    return summaries


def check_lesson_id(summaries: list[LessonSummary], lesson_id: str) -> None:
    """UnknownLesson (listing the valid ids) unless `lesson_id` is one of the lessons."""
    ids = [summary.id for summary in summaries]
    if lesson_id not in ids:
        raise UnknownLesson(lesson_id, ids)
