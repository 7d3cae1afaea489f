"""Reading content files safely, and finding the course: no pydantic here (fast to import).

Every problem with a file becomes a ContentError of one line, `FILE: what is wrong`, where FILE is
shown relative to the content folder. Nothing else escapes for a broken file: not a decoding
error, not a RecursionError from deep nesting, not a file too big to be a lesson.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ContentError, shown_path
from .toml_lite import leading_keys, loads_simple

if TYPE_CHECKING:
    import tomllib

__all__ = [
    "INDEX_FILE",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "CourseLayout",
    "find_course",
    "id_problem",
    "read_toml",
]

INDEX_FILE = "index.toml"
"""The file in `lessons/` that lists the lessons in course order."""

MAX_FILE_BYTES = 1_000_000
"""A content file larger than this is refused before it is parsed (lessons are a few KB)."""

MAX_DEPTH = 16
"""Deepest nesting of tables and arrays a content file may have (the formats need 5)."""

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""A lesson id: lower-case letters, digits and dashes, so it is also a safe file name."""

_TOML_WHERE = re.compile(
    r"^(?P<what>.*?) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|(?P<end>end of document))\)$"
)


def id_problem(value: object) -> str | None:
    """Why `value` cannot be a lesson id (None when it can): ids never hold path characters."""
    if not isinstance(value, str):
        return f"{value!r} is not a lesson id (write it as a string)"
    if not ID_PATTERN.match(value):
        return (
            f"{value!r} is not a lesson id (use lower-case letters, digits and dashes; "
            "no '/', '.' or spaces)"
        )
    return None


def _depth(data: object) -> int:
    """How deeply tables and arrays nest in `data` (iterative: no recursion to run out of)."""
    deepest = 0
    pending: list[tuple[object, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return deepest


def _too_deep(shown: str) -> str:
    return (
        f"{shown}: arrays or tables nest too deeply (a content file needs at most "
        f"{MAX_DEPTH} levels)"
    )


def _decoded(raw: bytes, shown: str) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ContentError(
            f"{shown}: line {line}: a NUL byte: this is a binary file, not TOML text"
        )
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            f"{shown}: line {line}, column {column}: byte 0x{raw[exc.start]:02x} is not UTF-8 "
            "(save the file as UTF-8)"
        ) from None


def _toml_problem(exc: tomllib.TOMLDecodeError, shown: str) -> str:
    message = str(exc).splitlines()[0] if str(exc) else "cannot be parsed"
    found = _TOML_WHERE.match(message)
    if found is None:
        return f"{shown}: not valid TOML: {message[:1].lower()}{message[1:]}"
    what = found["what"]
    what = what[:1].lower() + what[1:]
    if found["end"]:
        return f"{shown}: at the end of the file: not valid TOML: {what}"
    return f"{shown}: line {found['line']}, column {found['col']}: not valid TOML: {what}"


_FIRST_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _small(path: Path) -> bool:
    return path.stat().st_size <= MAX_FILE_BYTES


def read_toml_head(path: Path, root: Path, wanted: tuple[str, ...] = ()) -> dict[str, Any]:
    """The top-level keys of a TOML file (id, title, level...), parsed from the text before its
    first table: what the first screen needs, at a fraction of a full parse. When the file's
    first simple lines hold every key of `wanted`, they are all that is read (no `tomllib`).
    Any doubt (a file too big, unreadable or not UTF-8, a `[` at a line's start inside a string,
    a head that does not parse) falls back to `read_toml`, which names the problem."""
    try:
        text = path.read_bytes().decode("utf-8") if _small(path) else None
    except (OSError, UnicodeDecodeError):
        text = None
    if text is not None:
        first = leading_keys(text)  # stops at the first line it does not know (a NUL, say)
        if wanted and all(key in first for key in wanted):
            return first
        import tomllib

        head = _FIRST_TABLE.split(text, maxsplit=1)[0]
        try:
            whole = len(head) == len(text) or "\0" in head
            data = None if whole else tomllib.loads(head)
        except (tomllib.TOMLDecodeError, RecursionError):
            data = None
        if data:
            return data
    return read_toml(path, root)


def read_toml(path: Path, root: Path) -> dict[str, Any]:
    """A TOML file's data; a missing, too big, binary, non-UTF-8, malformed, empty or too deeply
    nested file is a ContentError of one line naming it."""
    shown = shown_path(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(
                f"{shown}: the file is {size:,} bytes; a content file must be under "
                f"{MAX_FILE_BYTES:,} bytes"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(f"{shown}: file not found") from None
    except IsADirectoryError:
        raise ContentError(f"{shown}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise ContentError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    text = _decoded(raw, shown)
    simple = loads_simple(text)
    if simple:  # the index, and any file as plain: no tomllib needed
        return simple
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(_toml_problem(exc, shown)) from None
    except RecursionError:
        raise ContentError(_too_deep(shown)) from None
    if not data:
        raise ContentError(f"{shown}: the file is empty (it needs at least format_version)")
    if _depth(data) > MAX_DEPTH:
        raise ContentError(_too_deep(shown))
    return data


class CourseLayout:
    """Where a course's files are: a course folder, or one lesson file standing alone."""

    __slots__ = ("root", "single")

    def __init__(self, root: Path, single: Path | None = None) -> None:
        self.root = root
        """The folder paths are shown relative to (the course folder, or the lesson file's
        folder)."""
        self.single = single
        """The lesson file, when the course is that one lesson."""

    @property
    def lessons_dir(self) -> Path:
        """The folder of the lesson files (and the index)."""
        return self.root / "lessons"

    @property
    def quizzes_dir(self) -> Path:
        """The folder of the quiz files."""
        return self.root / "quizzes"

    @property
    def index(self) -> Path:
        """The index file, listing the lessons in order."""
        return self.lessons_dir / INDEX_FILE

    def quiz_candidates(self, lesson_id: str) -> list[Path]:
        """Where a lone lesson's quiz may be: beside it, in quizzes/ beside it, or ../quizzes/."""
        assert self.single is not None
        here = self.single.parent
        names = dict.fromkeys([lesson_id, self.single.stem])
        found = []
        for name in names:
            found += [
                here / f"{name}.quiz.toml",
                here / "quizzes" / f"{name}.toml",
                here.parent / "quizzes" / f"{name}.toml",
            ]
        return found


def find_course(root: Path) -> CourseLayout:
    """The layout of the course at `root` (a course folder or one lesson file); a missing folder
    or one without `lessons/index.toml` is a ContentError of one line saying what should be there.
    """
    if root.is_file():
        if root.suffix != ".toml":
            raise ContentError(f"{root}: a lesson file is a .toml file")
        return CourseLayout(root=root.parent, single=root)
    if not root.exists():
        raise ContentError(
            f"{root}: no such file or folder (give a course folder or a lesson .toml file)"
        )
    if not root.is_dir():
        raise ContentError(f"{root}: not a folder or a lesson .toml file")
    layout = CourseLayout(root=root)
    if not layout.index.is_file():
        raise ContentError(
            f"{root}: not a course folder: lessons/{INDEX_FILE} is missing (a course folder "
            f"holds lessons/{INDEX_FILE}, lessons/<id>.toml and quizzes/<id>.toml)"
        )
    return layout
