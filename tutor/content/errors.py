"""Where the course lives, and the errors its files can give (no pydantic here: fast to import)."""

from __future__ import annotations

import os
from pathlib import Path

CONTENT_ENV = "TUTOR_CONTENT"
"""Environment variable naming a folder with lessons/ and quizzes/ to use instead (for authors)."""

_PACKAGE = Path(__file__).resolve().parent.parent
_PACKAGED = _PACKAGE / "_content"
_SOURCE = _PACKAGE.parent


class ContentError(Exception):
    """A lesson or quiz file is missing or malformed; the message names the file and the field.

    The message holds one line per problem, each `FILE: FIELD: what is wrong`.
    """

    @property
    def problems(self) -> list[str]:
        """The problems, one line each."""
        return str(self).splitlines()


class UnknownLesson(ContentError):
    """No lesson has the id the learner asked for."""

    def __init__(self, lesson_id: str, known: list[str]) -> None:
        self.lesson_id = lesson_id
        self.known = known
        super().__init__(f"no lesson called {lesson_id!r}; the lessons are: {', '.join(known)}")


def content_root() -> Path:
    """The course: $TUTOR_CONTENT (a course folder or one lesson .toml file), the installed copy,
    else the source tree."""
    override = os.environ.get(CONTENT_ENV)
    if override:
        return Path(override)
    if (_PACKAGED / "lessons").is_dir():
        return _PACKAGED
    return _SOURCE


def shown_path(path: Path, root: Path) -> str:
    """A path as the learner should read it: relative to the content folder when inside it (or
    beside it: `../quizzes/x.toml`)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return "../" + path.relative_to(root.parent).as_posix()
    except ValueError:
        return str(path)
