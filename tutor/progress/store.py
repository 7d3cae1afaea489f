"""The learner's progress, in SQLite: lessons completed, best quiz score, attempts, last step.

Every change updates relative to what is stored (attempts + 1, the better of two scores), in one
SQLite transaction, in WAL mode: two tutors open at once lose nothing, and a process killed
mid-write loses at most the change in flight. A file that is not a readable progress database
(corrupt, or written by a newer tutor) is moved aside, never deleted, and a fresh one is started;
the caller gets a notice to show. Export and import: `transfer`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ProgressError

__all__ = ["LessonProgress", "ProgressError", "ProgressStore"]

SCHEMA_VERSION = 2
"""1: lesson progress; 2 adds review cards and challenge bests (a version 1 file is migrated)."""
DATA_ENV = "TUTOR_DATA_DIR"
"""Environment variable naming the folder for the progress database."""
LEARNER_ENV = "TUTOR_LEARNER"
"""Environment variable naming the learner (default: the login name)."""
FILE_NAME = "progress.db"

KEEP_BETTER_SCORE = (
    "best_total = CASE WHEN :correct IS NOT NULL AND (best_correct IS NULL "
    "OR :correct * best_total > best_correct * :total) THEN :total ELSE best_total END, "
    "best_correct = CASE WHEN :correct IS NOT NULL AND (best_correct IS NULL "
    "OR :correct * best_total > best_correct * :total) THEN :correct ELSE best_correct END"
)
"""SET clause: keep the better of the stored score and (:correct, :total); a null score loses."""

Change = tuple[str, str, dict[str, Any]]
"""One change to a lesson's row: (lesson id, SET clause, its named values)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS progress (
    learner TEXT NOT NULL,
    lesson_id TEXT NOT NULL,
    completed INTEGER NOT NULL DEFAULT 0,
    best_correct INTEGER,
    best_total INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_step INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (learner, lesson_id)
)
"""

_SCHEMA_2 = (
    """
CREATE TABLE IF NOT EXISTS cards (
    learner TEXT NOT NULL,
    card_id TEXT NOT NULL,
    box INTEGER NOT NULL DEFAULT 1,
    due_at REAL NOT NULL,
    reviewed_at REAL,
    PRIMARY KEY (learner, card_id)
)
""",
    """
CREATE TABLE IF NOT EXISTS challenge_best (
    learner TEXT NOT NULL,
    lesson_id TEXT NOT NULL,
    correct INTEGER NOT NULL,
    total INTEGER NOT NULL,
    seconds REAL NOT NULL,
    achieved_at TEXT NOT NULL,
    PRIMARY KEY (learner, lesson_id)
)
""",
)
"""Tables version 2 adds (review cards, challenge bests): created in a version 1 file as it opens,
its progress rows untouched."""


class LessonProgress(NamedTuple):
    """How far one learner got in one lesson."""

    lesson_id: str
    completed: bool = False
    best_correct: int | None = None
    best_total: int | None = None
    attempts: int = 0
    last_step: int = 0

    @property
    def best_score(self) -> str:
        """The best quiz score as "5/7", or "" before any attempt."""
        if self.best_correct is None or self.best_total is None:
            return ""
        return f"{self.best_correct}/{self.best_total}"


def default_data_dir() -> Path:
    """$TUTOR_DATA_DIR, else the user data directory of this platform."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("celery-tutor", appauthor=False))


def default_learner() -> str:
    """$TUTOR_LEARNER, else the login name."""
    override = os.environ.get(LEARNER_ENV)
    if override:
        return override
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass.getuser() reads first
        if os.environ.get(name):
            return os.environ[name]
    import getpass  # (it reads the password database: only when no variable names the user)

    try:
        return getpass.getuser()
    except Exception:
        return "learner"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


class ProgressStore:
    """One learner's progress in one SQLite file."""

    def __init__(self, path: Path, learner: str, notice: str | None = None) -> None:
        self.path = path
        self.learner = learner
        self.clock: Callable[[], float] = time.time
        """Seconds since the epoch, for review schedules (tests set a clock of their own)."""
        self.notice = notice
        """Set when the old file could not be used and was moved aside (to tell the learner)."""
        self._held: tuple[int, sqlite3.Connection] | None = None
        """The connection of a `reading()` block, and the thread it belongs to."""

    @classmethod
    def open(cls, data_dir: Path | None = None, learner: str | None = None) -> ProgressStore:
        """Open (or create) the progress file; a broken one is moved aside with a notice."""
        folder = default_data_dir() if data_dir is None else data_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressError(
                f"cannot create the progress folder {folder}: {exc.strerror} "
                f"(choose another with --data-dir or ${DATA_ENV})"
            ) from None
        store = cls(folder / FILE_NAME, learner or default_learner())
        problem = store._check()
        if problem is not None:
            moved = store._move_aside()
            store.notice = (
                f"your progress file {store.path} could not be used ({problem}); it was moved to "
                f"{moved} and a fresh one was started"
            )
            problem = store._check()
            if problem is not None:
                raise ProgressError(f"cannot start a progress file at {store.path}: {problem}")
        return store

    # ------------------------------------------------------------------ the file
    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to the file (autocommit; BEGIN IMMEDIATE for a transaction); inside
        `reading()`, that block's connection (in the thread that opened it)."""
        held = self._held
        if held is not None and held[0] == threading.get_ident():
            yield held[1]
            return
        connection = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            connection.execute("PRAGMA busy_timeout = 10000")
            yield connection
        finally:
            connection.close()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads made inside (in this thread) share one connection: the home screen makes three
        before its first paint, and opening a connection costs more than a query."""
        with self.connect() as db:
            self._held = (threading.get_ident(), db)
            try:
                yield
            finally:
                self._held = None

    def _check(self) -> str | None:
        """None when the file is a usable progress database (creating it if new), else why not."""
        try:
            with self.connect() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    return f"it was written by a newer tutor (format {version})"
                if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    return "it is damaged"
                db.execute("PRAGMA journal_mode = WAL")
                db.execute(_SCHEMA)
                for table in _SCHEMA_2:
                    db.execute(table)
                if version < SCHEMA_VERSION:
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                columns = {row[1] for row in db.execute("PRAGMA table_info(progress)")}
                if "last_step" not in columns:
                    return "it does not hold tutor progress"
        except sqlite3.DatabaseError as exc:
            return f"it is not a progress database: {exc}"
        return None

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                source.replace(Path(f"{target}{suffix}"))
        return target

    # ------------------------------------------------------------------ reading
    def get(self, lesson_id: str) -> LessonProgress:
        """The learner's progress in one lesson (all zeros if never opened)."""
        return self.all().get(lesson_id, LessonProgress(lesson_id))

    def all(self) -> dict[str, LessonProgress]:
        """The learner's progress in every lesson they opened."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT lesson_id, completed, best_correct, best_total, attempts, last_step "
                "FROM progress WHERE learner = ? ORDER BY lesson_id",
                (self.learner,),
            ).fetchall()
        return {
            row[0]: LessonProgress(row[0], bool(row[1]), row[2], row[3], row[4], row[5])
            for row in rows
        }

    # ------------------------------------------------------------------ writing
    def apply(self, changes: Iterable[Change]) -> None:
        """Apply changes in one transaction: each creates its lesson's row if new, then updates it
        relative to what is stored. Either all are saved or, on any error, none."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for lesson_id, assignments, values in changes:
                    where = {
                        **values,
                        "learner": self.learner,
                        "lesson_id": lesson_id,
                        "now": _now(),
                    }
                    db.execute(
                        "INSERT INTO progress (learner, lesson_id, updated_at) "
                        "VALUES (:learner, :lesson_id, :now) "
                        "ON CONFLICT (learner, lesson_id) DO NOTHING",
                        where,
                    )
                    db.execute(
                        f"UPDATE progress SET {assignments}, updated_at = :now "
                        "WHERE learner = :learner AND lesson_id = :lesson_id",
                        where,
                    )
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def record_step(self, lesson_id: str, step: int) -> None:
        """Remember the last step the learner reached in a lesson."""
        self.apply([(lesson_id, "last_step = :step", {"step": step})])

    def record_completed(self, lesson_id: str) -> None:
        """Mark a lesson as completed (it stays completed)."""
        self.apply([(lesson_id, "completed = 1", {})])

    def record_quiz(self, lesson_id: str, correct: int, total: int) -> None:
        """Count a quiz attempt and keep the better of the two scores."""
        assignments = f"attempts = attempts + 1, {KEEP_BETTER_SCORE}"
        self.apply([(lesson_id, assignments, {"correct": correct, "total": total})])

    def reset(self) -> None:
        """Forget this learner's progress."""
        with self.connect() as db:
            for table in ("progress", "cards", "challenge_best"):
                db.execute(f"DELETE FROM {table} WHERE learner = ?", (self.learner,))

    # ------------------------------------------------------------------ export / import
    def export_json(self, target: Path) -> None:
        """Write this learner's progress to a JSON file."""
        from .transfer import export_json

        export_json(self, target)

    def import_json(self, source: Path) -> int:
        """Merge a JSON export into this learner's progress (nothing is lost on either side).

        The whole file is checked first: a malformed file changes nothing. Returns the number of
        lessons merged.
        """
        from .transfer import import_json

        return import_json(self, source)
