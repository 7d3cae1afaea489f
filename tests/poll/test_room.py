"""The poll's room: one answer per browser per question, only offered keys, counts-only results."""

from __future__ import annotations

import csv

from tutor.poll.limits import TokenBuckets
from tutor.poll.room import CODE_ALPHABET, Room, Verdict, new_code

CHOICES = [("A", "0"), ("B", "1")]


def test_a_browser_answers_once_and_only_with_an_offered_key():
    room = Room()
    round_ = room.ask("delay", "q1", "How many?", CHOICES)
    assert room.answer("browser-1", round_, "Z") is Verdict.NOT_A_CHOICE
    assert room.answer("browser-1", round_, "B") is Verdict.COUNTED
    assert room.answer("browser-1", round_, "A") is Verdict.ALREADY
    assert room.answer("browser-2", round_, "A") is Verdict.COUNTED
    assert room.tally().counts == (1, 1)


def test_answers_to_a_closed_or_old_question_are_not_counted():
    room = Room()
    assert room.answer("b", 1, "A") is Verdict.NO_QUESTION
    first = room.ask("delay", "q1", "How many?", CHOICES)
    second = room.ask("delay", "q2", "Which?", CHOICES)
    assert room.answer("b", first, "A") is Verdict.CLOSED
    room.close(second)
    assert room.answer("b", second, "A") is Verdict.CLOSED


def test_the_page_sees_its_own_answer_and_the_reveal_but_no_one_elses():
    room = Room()
    round_ = room.ask("delay", "q1", "How many?", CHOICES)
    room.answer("mine", round_, "A")
    room.answer("theirs", round_, "B")
    version = room.version
    room.reveal(round_, "B", "B (1, seen in the real run)")
    state = room.page_state("mine")
    assert state["version"] == version + 1
    assert state["question"]["mine"] == "A"
    assert state["question"]["real_key"] == "B"
    assert "theirs" not in str(state)


def test_results_are_counts_per_choice_with_the_real_answer(tmp_path):
    room = Room()
    round_ = room.ask("delay", "q1", "How many?", CHOICES)
    for browser, key in [("x", "B"), ("y", "B"), ("z", "A")]:
        room.answer(browser, round_, key)
    room.reveal(round_, "B", "B (1)")
    path = tmp_path / "poll.csv"
    assert room.write_csv(path) == 1
    rows = list(csv.DictReader(path.open()))
    assert [(r["key"], r["answers"], r["real_run"]) for r in rows] == [
        ("A", "1", "False"),
        ("B", "2", "True"),
    ]
    assert "x" not in {value for row in rows for value in row.values()}  # no browser token


def test_a_join_code_is_short_and_random():
    codes = {new_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 6 and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_a_bucket_refuses_past_its_burst_and_refills_with_time():
    buckets = TokenBuckets(burst=3, rate=1.0)
    assert [buckets.take("k", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert buckets.take("other", now=0.0)
    assert buckets.take("k", now=1.0) and not buckets.take("k", now=1.0)
