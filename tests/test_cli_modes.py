"""The study commands as a learner types them: challenge, review, a chapter's quiz, handouts.

The screens themselves are driven in tests/ui/test_modes.py; here, what the command line says."""

from __future__ import annotations

import io
from html import unescape
from pathlib import Path

import pytest

from tutor.cli import main


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["challenge", "dealy"], "tutor: no lesson called 'dealy'; the lessons are: delay"),
        (["quiz", "--chapter", "9"], "tutor: there is no chapter 9; the chapters are: 1 ("),
        (["quiz", "delay", "--chapter", "1"], "tutor: --chapter takes no LESSON and no --plain"),
        (["quiz"], "tutor: name a LESSON, or a chapter with --chapter N"),
    ],
)
def test_a_wrong_study_command_is_one_line_and_status_2(tmp_path: Path, argv, line):
    code, out, err = _run(*argv, "--data-dir", str(tmp_path))
    assert code == 2 and out == ""
    assert err.startswith(line) and len(err.splitlines()) == 1, err


@pytest.mark.parametrize(
    "argv", [["challenge", "delay"], ["challenge"], ["review"], ["quiz", "--chapter", "1"]]
)
def test_the_study_screens_without_a_terminal_say_so_in_one_line(tmp_path: Path, argv):
    code, out, err = _run(*argv, "--data-dir", str(tmp_path))
    assert code == 2 and out == ""
    assert err.startswith("tutor: the lesson screen needs a terminal")


def test_a_handout_is_the_whole_page_with_the_real_runs_values(tmp_path: Path):
    html, svg = tmp_path / "delay.html", tmp_path / "delay.svg"
    code, out, err = _run("run", "delay", "--html", str(html), "--svg", str(svg))
    assert code == 0, err
    assert out.splitlines() == [
        f"wrote {html} (lesson 'delay', values from a real run)",
        f"wrote {svg} (lesson 'delay', values from a real run)",
    ]
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for section in ("Execution Table", "Variable Tracker", "Concept Snapshot", "Full Transcript"):
        assert section in page
    assert "Returns 10 after" in page  # add(4, 6), computed by the real worker
    picture = unescape(svg.read_text(encoding="utf-8")).replace("\xa0", " ")
    assert picture.lstrip().startswith("<svg") and "Calling tasks asynchronously" in picture


@pytest.mark.parametrize("where", ["missing/delay.html", "."])
def test_a_handout_that_cannot_be_written_is_one_line_before_any_run(tmp_path: Path, where):
    target = tmp_path / where
    code, out, err = _run("run", "delay", "--html", str(target))
    assert code == 2 and out == ""
    assert err.startswith(f"tutor: cannot write {target}: ") and len(err.splitlines()) == 1


def test_progress_shows_the_challenge_bests_and_the_cards_due(tmp_path: Path):
    from tutor.progress.bests import record_challenge
    from tutor.progress.cards import add_cards
    from tutor.progress.store import ProgressStore

    store = ProgressStore.open(tmp_path, "ada")
    record_challenge(store, "delay", 3, 4, 41.2)
    add_cards(store, ["delay/point/0", "delay/point/1"])
    code, out, _ = _run("progress", "--data-dir", str(tmp_path), "--learner", "ada")
    assert code == 0
    assert "delay            not started; challenge best 3/4 in 41 s" in out
    assert out.splitlines()[-1] == "Review cards due now: 2 ('tutor review')."
