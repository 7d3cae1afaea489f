"""The lesson list without validation (no pydantic): enough for the first screen to paint fast.

The full course is validated right after, off the UI thread; a broken file is reported then.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ContentError, UnknownLesson, content_root, shown_path

INDEX_FILE = "index.toml"


@dataclass(frozen=True)
class LessonSummary:
    """What the lesson list shows of a lesson."""

    id: str
    title: str
    level: str
    duration: str


def read_toml(path: Path, root: Path) -> dict[str, Any]:
    """A TOML file's data; a missing or malformed file is a ContentError naming it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(f"{shown_path(path, root)}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{shown_path(path, root)}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ContentError(f"{shown_path(path, root)}: cannot be read: {exc.strerror}") from None


def read_summaries(root: Path | None = None) -> list[LessonSummary]:
    """The lessons in course order, read (not validated) from their files."""
    root = content_root() if root is None else root
    index = read_toml(root / "lessons" / INDEX_FILE, root)
    order = index.get("order")
    if not isinstance(order, list):
        raise ContentError(f"lessons/{INDEX_FILE}: order: field required")
    summaries = []
    for lesson_id in order:
        data = read_toml(root / "lessons" / f"{lesson_id}.toml", root)
        summaries.append(
            LessonSummary(
                id=str(lesson_id),
                title=str(data.get("title", lesson_id)),
                level=str(data.get("level", "")),
                duration=str(data.get("duration", "")),
            )
        )
    return summaries


def check_lesson_id(summaries: list[LessonSummary], lesson_id: str) -> None:
    """UnknownLesson (listing the valid ids) unless `lesson_id` is one of the lessons."""
    ids = [summary.id for summary in summaries]
    if lesson_id not in ids:
        raise UnknownLesson(lesson_id, ids)
