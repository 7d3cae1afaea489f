"""Speaker notes reach `tutor notes` on every platform: over a Unix socket where Python has one,
else over 127.0.0.1 with a token that a follower must know; the endpoint is the user's alone."""

from __future__ import annotations

import io
import json
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.demo.notes import TRANSPORT_ENV, NotesPublisher, default_socket_path, follow

STEP = {"lesson": "delay", "title": "Calling tasks", "step": 2, "steps": 5, "stage": "queued"}


@pytest.fixture
def publisher(tmp_path: Path) -> Iterator[NotesPublisher]:
    """A demo's publisher over TCP with a token, as on a Python without Unix sockets."""
    notes = NotesPublisher(tmp_path / "demo-notes", transport="tcp")
    notes.start()
    yield notes
    notes.close()


def _follow_in_background(path: Path, seen: list[dict]) -> threading.Thread:
    thread = threading.Thread(target=lambda: seen.extend(follow(path, wait=5)), daemon=True)
    thread.start()
    return thread


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_notes_flow_over_tcp_and_the_endpoint_is_the_users_alone(publisher, tmp_path):
    endpoint = tmp_path / "demo-notes"
    assert endpoint.is_file() and not endpoint.is_socket()
    if sys.platform != "win32":
        assert stat.S_IMODE(endpoint.stat().st_mode) == 0o600
    publisher.publish({**STEP, "notes": "first"})
    seen: list[dict] = []
    thread = _follow_in_background(endpoint, seen)
    _wait_for(lambda: len(seen) == 1)  # a late follower gets the last update
    publisher.publish({**STEP, "step": 3, "notes": "second"})
    _wait_for(lambda: len(seen) == 2)
    assert [update["notes"] for update in seen] == ["first", "second"]
    publisher.close()
    thread.join(5)
    assert not thread.is_alive() and not endpoint.exists()


def test_a_follower_with_a_wrong_token_is_refused(publisher, tmp_path):
    publisher.publish({**STEP, "notes": "secret"})
    port = json.loads((tmp_path / "demo-notes").read_text())["port"]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as intruder:
        intruder.sendall(b"not-the-token\n")
        assert intruder.recv(1024) == b""  # closed, nothing sent
    forged = tmp_path / "forged"
    forged.write_text(json.dumps({"format": "celery-tutor-notes", "port": port, "token": "x"}))
    assert list(follow(forged)) == []
    seen: list[dict] = []
    _follow_in_background(tmp_path / "demo-notes", seen)
    _wait_for(lambda: len(seen) == 1)  # the right token still gets in
    assert seen[0]["notes"] == "secret"


def test_tutor_notes_follows_a_demo_on_a_python_without_unix_sockets(tmp_path, monkeypatch):
    monkeypatch.delattr(socket, "AF_UNIX", raising=False)
    endpoint = tmp_path / "demo-notes"
    demo = NotesPublisher(endpoint)  # no transport named: the platform decides
    demo.start()
    demo.publish({**STEP, "notes": "Point at the queue."})
    threading.Timer(1.0, demo.close).start()
    out, err = io.StringIO(), io.StringIO()
    assert main(["notes", "--socket", str(endpoint), "--wait", "2"], out, err) == 0
    assert "== Calling tasks · step 2 of 5 · queued ==\nPoint at the queue.\n" in out.getvalue()
    assert out.getvalue().endswith("The demo ended.\n")


def test_the_transport_can_be_chosen_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(TRANSPORT_ENV, "tcp")
    demo = NotesPublisher(tmp_path / "demo-notes")
    demo.start()
    try:
        assert (tmp_path / "demo-notes").is_file()
    finally:
        demo.close()


def test_an_unknown_transport_is_an_os_error_the_demo_can_show(tmp_path):
    with pytest.raises(OSError, match="unknown notes transport 'carrier-pigeon'"):
        NotesPublisher(tmp_path / "demo-notes", transport="carrier-pigeon").start()


def test_a_file_that_is_no_endpoint_is_never_overwritten(tmp_path):
    precious = tmp_path / "thesis.txt"
    precious.write_text("years of work")
    with pytest.raises(FileExistsError):
        NotesPublisher(precious, transport="tcp").start()
    assert precious.read_text() == "years of work"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG runtime folder, POSIX permissions")
def test_the_default_endpoint_is_in_a_runtime_folder_only_the_user_can_open(tmp_path, monkeypatch):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    path = default_socket_path()
    assert path.parent == runtime / "celery-tutor"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
