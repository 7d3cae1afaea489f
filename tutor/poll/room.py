"""The class poll's state: one question at a time, one answer per browser, tallies and results.

Thread-safe: the web server's thread records answers while the demo's UI thread asks, reveals and
closes. Nothing personal is kept: a browser is known only by a random token the server gave it,
and the results are counts per choice.
"""

from __future__ import annotations

import csv
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Join-code letters: lower case, without the look-alikes (i l 1 o 0)."""
CODE_LENGTH = 6


def new_code() -> str:
    """A short random join code (6 letters of 31: about 30 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Verdict(Enum):
    """What became of one answer."""

    COUNTED = "counted"
    ALREADY = "this browser already answered this question"
    NOT_A_CHOICE = "that is not one of the offered choices"
    CLOSED = "this question is no longer open"
    NO_QUESTION = "there is no open question"


@dataclass(frozen=True)
class Tally:
    """The live count of one question, for the instructor's screen."""

    round: int
    """Which question asked in this session (1, 2, ...; 0: none yet)."""
    keys: tuple[str, ...]
    counts: tuple[int, ...]
    """Answers per key, in the order of `keys`."""
    real_key: str | None = None
    """The real run's answer, once revealed."""
    changed_at: float = 0.0
    """`time.perf_counter()` when this tally was taken (for the benchmark)."""

    @property
    def total(self) -> int:
        """How many answers in all."""
        return sum(self.counts)


@dataclass
class PollQuestion:
    """One question put to the room, with its answers (browser token → key)."""

    round: int
    lesson_id: str
    heading: str
    """"Lesson title · question 2 of 7"."""
    prompt: str
    choices: list[tuple[str, str]]
    """(key, text) pairs; empty: answered aloud (an order question)."""
    answers: dict[str, str] = field(default_factory=dict)
    open: bool = True
    real_key: str | None = None
    real_text: str | None = None

    def counts(self) -> tuple[int, ...]:
        """Answers per choice, in the order of the choices."""
        given = list(self.answers.values())
        return tuple(given.count(key) for key, _ in self.choices)


class Room:
    """The poll of one demo session: the question on the screen, its answers, past results."""

    def __init__(self, code: str | None = None) -> None:
        self.code = code or new_code()
        self._lock = threading.Lock()
        self._rounds: list[PollQuestion] = []
        self.version = 0
        """Goes up whenever what the student page shows changes (asked, closed, revealed)."""
        self._listeners: list[Callable[[Tally, bool], None]] = []

    # ------------------------------------------------------------------ listeners
    def listen(self, callback: Callable[[Tally, bool], None]) -> Callable[[], None]:
        """Call `callback(tally, page_changed)` after every change (from the changing thread);
        returns the function that stops it."""
        with self._lock:
            self._listeners.append(callback)

        def stop() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return stop

    def _changed(self, page_changed: bool) -> None:
        with self._lock:
            if page_changed:
                self.version += 1
            tally = self._tally()
            listeners = list(self._listeners)
        for callback in listeners:
            callback(tally, page_changed)

    def _tally(self) -> Tally:
        if not self._rounds:
            return Tally(0, (), (), changed_at=time.perf_counter())
        current = self._rounds[-1]
        keys = tuple(key for key, _ in current.choices)
        return Tally(current.round, keys, current.counts(), current.real_key, time.perf_counter())

    # ------------------------------------------------------------------ the instructor's side
    def ask(self, lesson_id: str, heading: str, prompt: str, choices: list[tuple[str, str]]) -> int:
        """Put a question to the room (the previous one closes); returns its round."""
        with self._lock:
            if self._rounds:
                self._rounds[-1].open = False
            asked = PollQuestion(len(self._rounds) + 1, lesson_id, heading, prompt, choices)
            self._rounds.append(asked)
        self._changed(page_changed=True)
        return asked.round

    def reveal(self, round_: int, key: str | None, text: str) -> None:
        """Show the real run's answer (`key` None: it is not one of the choices)."""
        with self._lock:
            asked = self._rounds[round_ - 1]
            asked.open = False
            asked.real_key, asked.real_text = key, text
        self._changed(page_changed=True)

    def close(self, round_: int) -> None:
        """Stop taking answers to a question (it stays on the page until the next one)."""
        with self._lock:
            asked = self._rounds[round_ - 1]
            if not asked.open:
                return
            asked.open = False
        self._changed(page_changed=True)

    def tally(self) -> Tally:
        """The current question's count."""
        with self._lock:
            return self._tally()

    # ------------------------------------------------------------------ the students' side
    def answer(self, browser: str, round_: int, key: str) -> Verdict:
        """Record one browser's answer to one question, if it may be counted."""
        with self._lock:
            if not self._rounds:
                return Verdict.NO_QUESTION
            current = self._rounds[-1]
            if round_ != current.round or not current.open:
                return Verdict.CLOSED
            if key not in {k for k, _ in current.choices}:
                return Verdict.NOT_A_CHOICE
            if browser in current.answers:
                return Verdict.ALREADY
            current.answers[browser] = key
        self._changed(page_changed=False)
        return Verdict.COUNTED

    def page_state(self, browser: str) -> dict[str, object]:
        """What the student page shows to this browser (its own answer, never anyone else's)."""
        with self._lock:
            if not self._rounds:
                return {"version": self.version, "question": None}
            current = self._rounds[-1]
            return {
                "version": self.version,
                "question": {
                    "round": current.round,
                    "heading": current.heading,
                    "prompt": current.prompt,
                    "choices": [{"key": k, "text": t} for k, t in current.choices],
                    "open": current.open,
                    "mine": current.answers.get(browser),
                    "real_key": current.real_key,
                    "real_text": current.real_text,
                },
            }

    # ------------------------------------------------------------------ results
    def results(self) -> list[dict[str, object]]:
        """One row per choice of every question asked: counts only."""
        rows: list[dict[str, object]] = []
        with self._lock:
            for asked in self._rounds:
                for (key, text), count in zip(asked.choices, asked.counts(), strict=True):
                    rows.append(
                        {
                            "round": asked.round,
                            "lesson": asked.lesson_id,
                            "question": asked.heading,
                            "prompt": asked.prompt,
                            "key": key,
                            "choice": text,
                            "answers": count,
                            "real_run": "" if asked.real_key is None else asked.real_key == key,
                        }
                    )
        return rows

    def write_csv(self, path: Path) -> int:
        """Write the results as CSV; returns how many questions they cover."""
        rows = self.results()
        columns = ["round", "lesson", "question", "prompt", "key", "choice", "answers", "real_run"]
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        return len({row["round"] for row in rows})
