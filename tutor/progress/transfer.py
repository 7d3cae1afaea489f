"""Progress export and import: a JSON file a person can read, merged back without losing anything.

An import is validated whole (by a pydantic model, imported only here) before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .bests import challenge_bests, record_challenge
from .cards import Card, all_cards, merge_cards
from .errors import ProgressError
from .store import KEEP_BETTER_SCORE, SCHEMA_VERSION, Change, LessonProgress, ProgressStore

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from .export_model import ExportFile

EXPORT_FORMAT = "celery-tutor-progress"
"""The `format` field of an export."""

MERGE = (
    "completed = MAX(completed, :completed), attempts = MAX(attempts, :attempts), "
    f"last_step = MAX(last_step, :last_step), {KEEP_BETTER_SCORE}"
)
"""SET clause merging an exported lesson into the stored one: the most of each, the better score."""


def export_json(store: ProgressStore, target: Path) -> None:
    """Write the store's learner's progress to a JSON file."""
    data = {
        "format": EXPORT_FORMAT,
        "version": SCHEMA_VERSION,
        "learner": store.learner,
        "lessons": [progress._asdict() for progress in store.all().values()],
        "cards": [
            {"card_id": card.card_id, "box": card.box, "due_at": card.due_at}
            for card in all_cards(store)
        ],
        "challenges": [
            {"lesson_id": b.lesson_id, "correct": b.correct, "total": b.total, "seconds": b.seconds}
            for b in challenge_bests(store).values()
        ],
    }
    try:
        target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ProgressError(f"cannot write {target}: {exc.strerror}") from None


def import_json(store: ProgressStore, source: Path) -> int:
    """Merge a JSON export into the store (the whole file is checked first: a malformed one
    changes nothing); the number of lessons merged. Review cards keep the higher box of the
    two, challenge bests the better result."""
    export = _read(source)
    entries = [LessonProgress(**entry.model_dump()) for entry in export.lessons]
    store.apply(_merge(entry) for entry in entries)
    merge_cards(store, [Card(c.card_id, c.box, c.due_at) for c in export.cards])
    for best in export.challenges:
        record_challenge(store, best.lesson_id, best.correct, best.total, best.seconds)
    return len(entries)


def _merge(entry: LessonProgress) -> Change:
    values = {
        "completed": int(entry.completed),
        "attempts": entry.attempts,
        "last_step": entry.last_step,
        "correct": entry.best_correct,
        "total": entry.best_total,
    }
    return entry.lesson_id, MERGE, values


def read_export(source: Path) -> list[LessonProgress]:
    """Read and check a progress export; any problem is a ProgressError naming file and field."""
    return [LessonProgress(**entry.model_dump()) for entry in _read(source).lessons]


def _read(source: Path) -> ExportFile:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProgressError(f"cannot read {source}: {exc.strerror}") from None
    except ValueError as exc:
        raise ProgressError(f"{source}: not valid JSON: {exc}") from None
    from pydantic import ValidationError

    from .export_model import ExportFile

    try:
        export = ExportFile.model_validate(data)
    except ValidationError as exc:
        raise ProgressError(f"{source}: {_problem(exc.errors()[0])}") from None
    return export


FIELD_PROBLEMS = {
    "format": "not a tutor progress export",
    "lessons": "a list is required",
    "lesson_id": "text required",
    "attempts": "a whole number ≥ 0 is required",
    "last_step": "a whole number ≥ 0 is required",
    "best_correct": "a whole number or null is required",
    "best_total": "a whole number or null is required",
    "completed": "true or false is required",
    "cards": "a list is required",
    "card_id": "text required",
    "box": "a whole number from 1 to 5 is required",
    "due_at": "a time in seconds is required",
    "challenges": "a list is required",
    "correct": "a whole number ≥ 0 is required",
    "total": "a whole number ≥ 1 is required",
    "seconds": "a number of seconds ≥ 0 is required",
}
"""What each field of an export must be, as the learner is told."""


def _problem(error: ErrorDetails) -> str:
    """A problem pydantic found, as `lessons[0].attempts: a whole number ≥ 0 is required`."""
    where = error["loc"]
    if not where:  # not even an object
        return f"format: {FIELD_PROBLEMS['format']}"
    location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in where)
    location = location.lstrip(".")
    last = where[-1]
    if last == "version":
        found = None if error["type"] == "missing" else error["input"]
        return f"version: {found!r} is not one this tutor reads"
    if isinstance(last, int) and error["type"] == "model_type":  # an entry that is no object
        key = "card_id" if where[0] == "cards" else "lesson_id"
        return f"{location}.{key}: {FIELD_PROBLEMS[key]}"
    if isinstance(last, int):  # an entry whose fields disagree
        return f"{location}: {error['msg'].removeprefix('Value error, ')}"
    return f"{location}: {FIELD_PROBLEMS[last]}"
