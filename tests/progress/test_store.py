"""Progress is never lost: restarts, two writers, a killed writer, a corrupt file, bad imports."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.progress.store import FILE_NAME, SCHEMA_VERSION, ProgressError, ProgressStore


def test_progress_survives_a_restart(tmp_path: Path):
    store = ProgressStore.open(tmp_path, "ada")
    store.record_step("delay", 3)
    store.record_quiz("delay", 4, 7)
    store.record_quiz("delay", 6, 7)
    store.record_quiz("delay", 5, 7)
    store.record_completed("delay")
    again = ProgressStore.open(tmp_path, "ada").get("delay")
    assert again.completed and again.attempts == 3 and again.best_score == "6/7"
    assert again.last_step == 3
    assert ProgressStore.open(tmp_path, "bob").get("delay").attempts == 0


def _writer(folder: str, learner: str, count: int) -> None:
    store = ProgressStore.open(Path(folder), learner)
    for _ in range(count):
        store.record_quiz("delay", 1, 2)


def test_two_tutors_writing_at_once_lose_nothing(tmp_path: Path):
    ProgressStore.open(tmp_path, "ada")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(str(tmp_path), "ada", 60)) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    assert ProgressStore.open(tmp_path, "ada").get("delay").attempts == 120


def test_a_writer_killed_mid_write_loses_at_most_the_write_in_flight(tmp_path: Path):
    ProgressStore.open(tmp_path, "ada")
    code = (
        "import sys; from pathlib import Path; from tutor.progress.store import ProgressStore; "
        f"s = ProgressStore.open(Path({str(tmp_path)!r}), 'ada')\n"
        "n = 0\n"
        "while True:\n"
        "    s.record_quiz('delay', 1, 2); n += 1\n"
        "    print(n, flush=True)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    done = 0
    while done < 40:
        done = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    last_reported = done
    for line in writer.stdout:
        last_reported = int(line)
    attempts = ProgressStore.open(tmp_path, "ada").get("delay").attempts
    assert last_reported <= attempts <= last_reported + 1


def test_a_corrupt_file_is_moved_aside_with_a_notice_and_a_fresh_one_started(tmp_path: Path):
    (tmp_path / FILE_NAME).write_bytes(b"this is not sqlite at all" * 100)
    store = ProgressStore.open(tmp_path, "ada")
    assert store.notice is not None and "moved to" in store.notice
    moved = list(tmp_path.glob(f"{FILE_NAME}.broken-*"))
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not sqlite")
    store.record_step("delay", 2)
    assert ProgressStore.open(tmp_path, "ada").get("delay").last_step == 2


def test_a_file_from_a_newer_tutor_is_moved_aside_not_overwritten(tmp_path: Path):
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.execute("CREATE TABLE future (x)")
    store = ProgressStore.open(tmp_path, "ada")
    assert "newer tutor" in store.notice
    [moved] = tmp_path.glob(f"{FILE_NAME}.broken-*")
    with sqlite3.connect(moved) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_export_then_import_merges_without_losing_anything(tmp_path: Path):
    one = ProgressStore.open(tmp_path / "one", "ada")
    one.record_quiz("delay", 6, 7)
    one.record_completed("delay")
    export = tmp_path / "ada.json"
    one.export_json(export)
    two = ProgressStore.open(tmp_path / "two", "ada")
    two.record_quiz("delay", 3, 7)
    two.record_quiz("delay", 3, 7)
    two.record_step("direct-vs-delay", 4)
    assert two.import_json(export) == 1
    merged = two.all()
    assert merged["delay"].best_score == "6/7" and merged["delay"].attempts == 2
    assert merged["delay"].completed
    assert merged["direct-vs-delay"].last_step == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "format: not a tutor progress export"),
        (
            '{"format": "celery-tutor-progress", "version": 1, "lessons": [{"lesson_id": "delay", '
            '"attempts": -1}]}',
            "lessons[0].attempts: a whole number ≥ 0 is required",
        ),
        (
            '{"format": "celery-tutor-progress", "version": 1, "lessons": [3]}',
            "lessons[0].lesson_id: text required",
        ),
        (
            '{"format": "celery-tutor-progress", "version": 1, "lessons": [{"lesson_id": "delay"}, '
            '{"lesson_id": "delay", "best_correct": 3}]}',
            "lessons[1]: best_correct and best_total go together",
        ),
        ('{"format": "celery-tutor-progress", "version": 9}', "version: 9 is not one"),
    ],
)
def test_a_malformed_import_is_refused_and_changes_nothing(tmp_path: Path, content, message):
    store = ProgressStore.open(tmp_path, "ada")
    store.record_quiz("delay", 5, 7)
    before = store.all()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(ProgressError, match=message.replace("[", r"\[").replace("]", r"\]")):
        store.import_json(bad)
    assert store.all() == before


def test_an_export_is_json_a_person_can_read(tmp_path: Path):
    store = ProgressStore.open(tmp_path, "ada")
    store.record_step("delay", 5)
    store.export_json(tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["learner"] == "ada" and data["lessons"][0]["last_step"] == 5
    assert time.strftime("%Y") not in json.dumps(data["lessons"])


def test_reads_inside_reading_share_one_connection_and_see_the_same(tmp_path: Path, monkeypatch):
    """The home screen's three reads before its first paint open the file once; a thread that
    reads meanwhile gets a connection of its own (a connection belongs to one thread)."""
    import threading

    from tutor.progress import store as store_module
    from tutor.progress.bests import challenge_bests, record_challenge
    from tutor.progress.cards import due_count

    store = ProgressStore.open(tmp_path, "ada")
    store.record_completed("delay")
    record_challenge(store, "delay", 3, 4, 42.0)
    apart = (store.all(), challenge_bests(store), due_count(store))
    opened = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        store_module.sqlite3, "connect", lambda *a, **k: opened.append(1) or real_connect(*a, **k)
    )
    elsewhere: list[object] = []
    with store.reading():
        together = (store.all(), challenge_bests(store), due_count(store))
        reader = threading.Thread(target=lambda: elsewhere.append(store.all()))
        reader.start()
        reader.join()
    assert together == apart and apart[0]["delay"].completed
    assert elsewhere == [apart[0]]
    assert len(opened) == 2  # the block's one, and the other thread's own
    store.record_step("delay", 3)  # after the block: a connection of its own again
    assert store.get("delay").last_step == 3 and len(opened) == 4
