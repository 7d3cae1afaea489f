"""Challenge personal bests, one per lesson, kept in the progress store.

A result beats the best when it has more right answers (out of the same questions, compared as
fractions), or as many in less time.
"""

from __future__ import annotations

from typing import NamedTuple

from .store import ProgressStore

__all__ = ["ChallengeBest", "challenge_bests", "record_challenge"]


class ChallengeBest(NamedTuple):
    """A lesson's best challenge: right answers, questions, and the seconds it took."""

    lesson_id: str
    correct: int
    total: int
    seconds: float

    def beaten_by(self, correct: int, total: int, seconds: float) -> bool:
        """True when (correct, total, seconds) is better than this best."""
        mine, theirs = self.correct * total, correct * self.total
        return theirs > mine or (theirs == mine and seconds < self.seconds)

    @property
    def text(self) -> str:
        """ "3/4 in 41 s"."""
        return f"{self.correct}/{self.total} in {self.seconds:.0f} s"


def challenge_bests(store: ProgressStore) -> dict[str, ChallengeBest]:
    """The learner's best challenge in each lesson they took one in."""
    with store.connect() as db:
        rows = db.execute(
            "SELECT lesson_id, correct, total, seconds FROM challenge_best WHERE learner = ?",
            (store.learner,),
        ).fetchall()
    return {row[0]: ChallengeBest(*row) for row in rows}


def record_challenge(
    store: ProgressStore, lesson_id: str, correct: int, total: int, seconds: float
) -> bool:
    """Keep a challenge's result if it beats the lesson's best; True when it did (a new best)."""
    with store.connect() as db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute(
            "SELECT lesson_id, correct, total, seconds FROM challenge_best "
            "WHERE learner = ? AND lesson_id = ?",
            (store.learner, lesson_id),
        ).fetchone()
        better = row is None or ChallengeBest(*row).beaten_by(correct, total, seconds)
        if better:
            db.execute(
                "INSERT OR REPLACE INTO challenge_best "
                "(learner, lesson_id, correct, total, seconds, achieved_at) "
                "VALUES (?, ?, ?, ?, ?, datetime('now'))",
                (store.learner, lesson_id, correct, total, seconds),
            )
        db.execute("COMMIT")
    return better
