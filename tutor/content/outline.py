"""The course as chapters, read without validation (no pydantic), for the home screen and the
commands: which chapter a lesson is in, what comes before it, which lesson is next.

Prerequisites are derived, not written: a lesson builds on the lesson before it in the course
(in chapter order). A course without chapters is one chapter; lessons the chapters leave out
follow in a last chapter ("More lessons"), and `tutor check` reports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ContentError, content_root
from .files import find_course, read_toml

__all__ = ["ChapterOutline", "Outline", "outline_of", "read_outline"]

UNGROUPED = "More lessons"
"""The title of the chapter of lessons no chapter lists."""
ALL_LESSONS = "Lessons"
"""The title of the one chapter of a course without chapters."""


class ChapterOutline(NamedTuple):
    """One chapter: its number (from 1), title and lesson ids."""

    number: int
    title: str
    lessons: tuple[str, ...]


class Outline(NamedTuple):
    """The chapters of a course, in order."""

    chapters: tuple[ChapterOutline, ...]

    @property
    def order(self) -> list[str]:
        """Every lesson id, chapter by chapter."""
        return [lesson_id for chapter in self.chapters for lesson_id in chapter.lessons]

    def prerequisite(self, lesson_id: str) -> str | None:
        """The lesson this one builds on: the one before it in the course (None for the first)."""
        order = self.order
        position = order.index(lesson_id) if lesson_id in order else 0
        return order[position - 1] if position > 0 else None

    def next_lesson(self, done: Iterable[str]) -> str | None:
        """The lesson to take next: the first one not done (None when all are)."""
        finished = set(done)
        return next((lesson_id for lesson_id in self.order if lesson_id not in finished), None)

    def chapter(self, number: int) -> ChapterOutline:
        """Chapter `number` (from 1); a ContentError naming the chapters otherwise."""
        if not 1 <= number <= len(self.chapters):
            names = ", ".join(f"{c.number} ({c.title})" for c in self.chapters)
            raise ContentError(f"there is no chapter {number}; the chapters are: {names}")
        return self.chapters[number - 1]


def outline_of(ids: Sequence[str], chapters: Any) -> Outline:
    """The outline of lessons `ids` (course order) grouped by raw `chapters` data (a list of
    {title, lessons}); malformed entries and unknown ids are passed over (the loader reports
    them)."""
    grouped: list[tuple[str, list[str]]] = []
    placed: set[str] = set()
    for entry in chapters if isinstance(chapters, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("lessons"), list):
            continue
        lessons = [i for i in entry["lessons"] if i in ids and i not in placed]
        placed.update(lessons)
        if lessons:
            grouped.append((str(entry.get("title") or f"Chapter {len(grouped) + 1}"), lessons))
    rest = [lesson_id for lesson_id in ids if lesson_id not in placed]
    if rest:
        grouped.append((UNGROUPED if grouped else ALL_LESSONS, rest))
    return Outline(
        tuple(
            ChapterOutline(number, title, tuple(lessons))
            for number, (title, lessons) in enumerate(grouped, start=1)
        )
    )


def read_outline(ids: Sequence[str], root: Path | None = None) -> Outline:
    """The outline of the course at `root` (default: the content root), for lessons `ids`."""
    try:
        layout = find_course(content_root() if root is None else root)
        chapters = None if layout.single else read_toml(layout.index, layout.root).get("chapters")
    except ContentError:
        chapters = None
    return outline_of(ids, chapters)
