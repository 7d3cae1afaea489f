"""Review cards on a Leitner schedule, kept in the progress store.

A card is a concept snapshot line of a finished lesson (`delay/point/2`) or a quiz question the
learner missed (`delay/question/4`). A new card waits in box 1 and is due at once. Known: it moves
up a box and comes back after that box's interval (1, 2, 4, 8, 16 days). Again: back to box 1,
due in a day. Times come from `store.clock`, so a test can move the days on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .store import ProgressStore

__all__ = [
    "DAY",
    "INTERVAL_DAYS",
    "Card",
    "add_cards",
    "all_cards",
    "answer_card",
    "card_id",
    "due_cards",
    "due_count",
    "merge_cards",
    "parse_card_id",
]

INTERVAL_DAYS = (1, 2, 4, 8, 16)
"""Days until a card in box 1, 2, 3, 4, 5 is due again."""
DAY = 86400.0
"""Seconds in a day."""
KINDS = ("point", "question")
"""What a card holds: a concept snapshot line, or a quiz question."""


class Card(NamedTuple):
    """One card's place in the schedule."""

    card_id: str
    box: int
    """1 to 5: the higher, the longer until it comes back."""
    due_at: float
    """When it is due (seconds since the epoch)."""


def card_id(lesson_id: str, kind: str, index: int) -> str:
    """The id of a lesson's card: `delay/point/0` (first snapshot line), `delay/question/3`."""
    assert kind in KINDS, kind
    return f"{lesson_id}/{kind}/{index}"


def parse_card_id(value: str) -> tuple[str, str, int] | None:
    """(lesson id, kind, index) of a card id; None for an id this tutor does not know."""
    parts = value.split("/")
    if len(parts) != 3 or parts[1] not in KINDS or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def add_cards(store: ProgressStore, ids: Iterable[str], again: bool = False) -> None:
    """Add cards in box 1, due now; a card already there keeps its place, unless `again` (a
    question missed once more): then it goes back to box 1, due now."""
    now = store.clock()
    conflict = "DO UPDATE SET box = 1, due_at = :now" if again else "DO NOTHING"
    with store.connect() as db:
        db.execute("BEGIN IMMEDIATE")
        for card in ids:
            db.execute(
                "INSERT INTO cards (learner, card_id, box, due_at) VALUES (:learner, :id, 1, :now) "
                f"ON CONFLICT (learner, card_id) {conflict}",
                {"learner": store.learner, "id": card, "now": now},
            )
        db.execute("COMMIT")


def due_cards(store: ProgressStore) -> list[Card]:
    """The cards due now, lowest box first (the least known), then the longest waiting."""
    with store.connect() as db:
        rows = db.execute(
            "SELECT card_id, box, due_at FROM cards WHERE learner = ? AND due_at <= ? "
            "ORDER BY box, due_at, card_id",
            (store.learner, store.clock()),
        ).fetchall()
    return [Card(*row) for row in rows]


def due_count(store: ProgressStore) -> int:
    """How many cards are due now."""
    return len(due_cards(store))


def all_cards(store: ProgressStore) -> list[Card]:
    """Every card of the learner, due or not (for an export)."""
    with store.connect() as db:
        rows = db.execute(
            "SELECT card_id, box, due_at FROM cards WHERE learner = ? ORDER BY card_id",
            (store.learner,),
        ).fetchall()
    return [Card(*row) for row in rows]


def merge_cards(store: ProgressStore, cards: Iterable[Card]) -> None:
    """Merge cards from an export: a card kept on both sides keeps the higher box (and, on the
    same box, the earlier due time)."""
    with store.connect() as db:
        db.execute("BEGIN IMMEDIATE")
        for card in cards:
            db.execute(
                "INSERT INTO cards (learner, card_id, box, due_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (learner, card_id) DO UPDATE SET "
                "due_at = CASE WHEN excluded.box > box THEN excluded.due_at "
                "WHEN excluded.box = box THEN MIN(due_at, excluded.due_at) ELSE due_at END, "
                "box = MAX(box, excluded.box)",
                (store.learner, card.card_id, card.box, card.due_at),
            )
        db.execute("COMMIT")


def answer_card(store: ProgressStore, card: str, known: bool) -> Card:
    """Move a card: up a box when known (due after that box's interval), else back to box 1
    (due in a day). Returns its new place."""
    now = store.clock()
    with store.connect() as db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute(
            "SELECT box FROM cards WHERE learner = ? AND card_id = ?", (store.learner, card)
        ).fetchone()
        box = min((row[0] if row else 1) + 1, len(INTERVAL_DAYS)) if known else 1
        due = now + INTERVAL_DAYS[box - 1] * DAY
        db.execute(
            "INSERT INTO cards (learner, card_id, box, due_at, reviewed_at) "
            "VALUES (:learner, :id, :box, :due, :now) ON CONFLICT (learner, card_id) "
            "DO UPDATE SET box = :box, due_at = :due, reviewed_at = :now",
            {"learner": store.learner, "id": card, "box": box, "due": due, "now": now},
        )
        db.execute("COMMIT")
    return Card(card, box, due)
