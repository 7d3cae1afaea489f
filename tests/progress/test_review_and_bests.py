"""Review cards follow the Leitner schedule, challenge bests keep the better result, and a
progress file from before both (format 1) is migrated without losing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tutor.progress.bests import challenge_bests, record_challenge
from tutor.progress.cards import DAY, add_cards, all_cards, answer_card, due_cards, due_count
from tutor.progress.store import FILE_NAME, SCHEMA_VERSION, ProgressError, ProgressStore

START = 1_800_000_000.0


class Clock:
    """A clock the test moves on by whole days."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def days(self, count: float) -> None:
        self.now += count * DAY


def _store(tmp_path: Path, learner: str = "ada") -> tuple[ProgressStore, Clock]:
    store = ProgressStore.open(tmp_path, learner)
    clock = Clock()
    store.clock = clock
    return store, clock


def test_a_new_card_is_due_at_once_and_known_cards_come_back_after_1_2_4_8_16_days(tmp_path):
    store, clock = _store(tmp_path)
    add_cards(store, ["delay/point/0"])
    assert [card.box for card in due_cards(store)] == [1]
    for box, interval in [(2, 2), (3, 4), (4, 8), (5, 16), (5, 16)]:
        card = answer_card(store, "delay/point/0", known=True)
        assert card.box == box
        clock.days(interval - 0.01)
        assert due_count(store) == 0, f"box {box} came back before {interval} days"
        clock.days(0.01)
        assert due_count(store) == 1


def test_again_sends_a_card_back_to_box_1_due_the_next_day(tmp_path):
    store, clock = _store(tmp_path)
    add_cards(store, ["delay/point/0"])
    answer_card(store, "delay/point/0", known=True)
    answer_card(store, "delay/point/0", known=True)
    assert answer_card(store, "delay/point/0", known=False).box == 1
    clock.days(0.99)
    assert due_count(store) == 0
    clock.days(0.01)
    assert [card.card_id for card in due_cards(store)] == ["delay/point/0"]


def test_adding_a_card_again_keeps_its_place_unless_it_was_missed_again(tmp_path):
    store, _ = _store(tmp_path)
    add_cards(store, ["delay/question/1"])
    answer_card(store, "delay/question/1", known=True)
    add_cards(store, ["delay/question/1"])
    assert due_count(store) == 0
    add_cards(store, ["delay/question/1"], again=True)
    assert [(card.card_id, card.box) for card in due_cards(store)] == [("delay/question/1", 1)]


def test_cards_belong_to_one_learner(tmp_path):
    ada, _ = _store(tmp_path, "ada")
    bob, _ = _store(tmp_path, "bob")
    add_cards(ada, ["delay/point/0", "delay/point/1"])
    assert due_count(ada) == 2 and due_count(bob) == 0


def test_a_challenge_best_is_more_right_answers_or_as_many_in_less_time(tmp_path):
    store, _ = _store(tmp_path)
    assert record_challenge(store, "delay", 2, 4, 50.0)
    assert not record_challenge(store, "delay", 1, 4, 10.0)
    assert not record_challenge(store, "delay", 2, 4, 60.0)
    assert record_challenge(store, "delay", 2, 4, 30.0)
    assert record_challenge(store, "delay", 3, 4, 90.0)
    best = ProgressStore.open(tmp_path, "ada")
    assert challenge_bests(best)["delay"].text == "3/4 in 90 s"


def test_a_format_1_file_is_migrated_keeping_every_lesson(tmp_path):
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute(
            "CREATE TABLE progress (learner TEXT NOT NULL, lesson_id TEXT NOT NULL, "
            "completed INTEGER NOT NULL DEFAULT 0, best_correct INTEGER, best_total INTEGER, "
            "attempts INTEGER NOT NULL DEFAULT 0, last_step INTEGER NOT NULL DEFAULT 0, "
            "updated_at TEXT NOT NULL, PRIMARY KEY (learner, lesson_id))"
        )
        db.execute(
            "INSERT INTO progress VALUES ('ada', 'delay', 1, 5, 7, 2, 6, '2026-01-01T10:00:00')"
        )
        db.execute("PRAGMA user_version = 1")
    store, _ = _store(tmp_path)
    assert store.notice is None
    assert not list(tmp_path.glob(f"{FILE_NAME}.broken-*"))
    kept = store.get("delay")
    assert (kept.completed, kept.best_score, kept.attempts, kept.last_step) == (
        True,
        "5/7",
        2,
        6,
    )
    add_cards(store, ["delay/point/0"])
    record_challenge(store, "delay", 1, 2, 5.0)
    assert due_count(store) == 1 and "delay" in challenge_bests(store)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2


def test_reset_forgets_cards_and_bests_too(tmp_path):
    store, _ = _store(tmp_path)
    add_cards(store, ["delay/point/0"])
    record_challenge(store, "delay", 1, 2, 5.0)
    store.reset()
    assert due_count(store) == 0 and challenge_bests(store) == {}


def test_an_export_carries_cards_and_bests_and_an_import_keeps_the_better_of_each(tmp_path):
    one, _ = _store(tmp_path / "one")
    add_cards(one, ["delay/point/0", "delay/point/1"])
    answer_card(one, "delay/point/0", known=True)  # box 2 here
    record_challenge(one, "delay", 3, 4, 40.0)
    export = tmp_path / "ada.json"
    one.export_json(export)
    two, _ = _store(tmp_path / "two")
    add_cards(two, ["delay/point/1", "results/point/0"])
    for _ in range(3):
        answer_card(two, "delay/point/1", known=True)  # box 4 there
    record_challenge(two, "delay", 2, 4, 10.0)
    two.import_json(export)
    boxes = {card.card_id: card.box for card in all_cards(two)}
    assert boxes == {"delay/point/0": 2, "delay/point/1": 4, "results/point/0": 1}
    assert challenge_bests(two)["delay"].text == "3/4 in 40 s"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ('"cards": [{"card_id": "delay/point/0", "box": 9, "due_at": 1}]', r"cards\[0\]\.box: "),
        ('"cards": [3]', r"cards\[0\]\.card_id: text required"),
        (
            '"challenges": [{"lesson_id": "delay", "correct": 5, "total": 4, "seconds": 1}]',
            r"challenges\[0\]: correct cannot be more than total",
        ),
    ],
)
def test_a_malformed_card_or_best_in_an_import_changes_nothing(tmp_path, entries, message):
    store, _ = _store(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "celery-tutor-progress", "version": 2, '
        f'"lessons": [{{"lesson_id": "delay", "completed": true}}], {entries}}}'
    )
    with pytest.raises(ProgressError, match=message):
        store.import_json(bad)
    assert store.all() == {} and all_cards(store) == [] and challenge_bests(store) == {}
