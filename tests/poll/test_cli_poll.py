"""`tutor demo --poll` as an instructor types it: its options, its errors, its results file."""

from __future__ import annotations

import csv
import io

from tests.poll_server import ask
from tutor.cli import main
from tutor.commands.teaching import end_poll
from tutor.poll.server import PollServer


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_help_tells_how_to_open_the_poll_to_the_room(capsys):
    try:
        main(["demo", "--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    shown = " ".join(out.split())
    for words in ("--poll", "--host ADDR", "0.0.0.0", "--port PORT", "--poll-results FILE"):
        assert words in shown, words
    assert "j shows/hides the join QR code" in shown


def test_the_poll_options_without_poll_are_one_clear_error():
    code, _, err = _run("demo", "delay", "--host", "0.0.0.0")
    assert code == 2
    assert err.strip() == "tutor: --host, --port and --poll-results go with --poll"


def test_a_busy_port_is_one_clear_error_before_the_demo_starts(poll: PollServer):
    code, _, err = _run("demo", "delay", "--poll", "--port", str(poll.port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{poll.port}" in err and "--port" in err
    assert "Traceback" not in err


def test_a_results_file_in_a_missing_folder_is_refused_before_the_demo(tmp_path):
    missing = tmp_path / "nowhere" / "poll.csv"
    code, _, err = _run("demo", "delay", "--poll", "--port", "0", "--poll-results", str(missing))
    assert code == 2
    assert "does not exist" in err


def test_ending_the_demo_stops_the_poll_and_writes_its_results(poll: PollServer, tmp_path):
    round_ = ask(poll)
    poll.room.answer("some-browser-token", round_, "B")
    results = tmp_path / "poll.csv"
    end_poll(poll, results)
    rows = list(csv.DictReader(results.open()))
    assert [(row["key"], row["answers"]) for row in rows] == [("A", "0"), ("B", "1"), ("C", "0")]
    assert not poll.running
