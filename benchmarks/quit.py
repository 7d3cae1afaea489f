"""Quit benchmark: from the quit key to the shell prompt, in tmux, from each state of the tutor,
beside a bare Textual app's own quit measured the same way, interleaved in the same run."""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from benchmarks.engine import Result

BARE_APP = """
from textual.app import App
from textual.binding import Binding
from textual.widgets import Static
class Bare(App):
    BINDINGS = [Binding("q", "quit", "Quit")]
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""
PROMPT = "SHELL-PROMPT-BACK"
READY = "Press → to start"
# (state, tutor arguments, [(key to send or None, text to wait for or None: settle 0.5 s)])
STATES: list[tuple[str, list[str], list[tuple[str | None, str | None]]]] = [
    (
        "a prediction open",
        ["run", "delay"],
        [(None, READY), ("Right", "Step 1/5"), ("Right", "Predict, then watch")],
    ),
    (
        "held inside a task",
        ["run", "delay"],
        [
            (None, READY),
            ("Right", "Step 1/5"),
            ("Right", "Predict, then watch"),
            ("b", "you said"),
            ("Right", "Predict, then watch"),
            ("a", "you said"),
        ],
    ),
    ("autoplay", ["run", "delay"], [(None, READY), ("Right", "Step 1/5"), ("a", None)]),
    ("quiz", ["run", "delay"], [(None, READY), ("Right", "Step 1/5"), ("k", "Question 1 of")]),
    ("demo", ["demo"], [(None, READY), ("Right", None)]),
    ("a what-if running", ["run", "periodic"], [(None, READY), ("Right", "Step 1/"), ("1", None)]),
]


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 20.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if text in _tmux("capture-pane", "-p", "-t", session):
            return time.perf_counter()
        time.sleep(0.003)
    raise RuntimeError(f"{text!r} never appeared")


def _quit_time(command: list[str], steps: list[tuple[str | None, str | None]], env: str) -> float:
    """Seconds from the quit key to the shell's next line, after `steps` reached the state."""
    session = f"quit-{uuid.uuid4().hex[:8]}"
    line = f"{env} {shlex.join(command)}; echo {PROMPT}; sleep 30"
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "35", "sh", "-c", line)
    try:
        for key, marker in steps:
            if key is not None:
                _tmux("send-keys", "-t", session, key)
            if marker is None:
                time.sleep(0.5)
            else:
                _wait_for(session, marker)
        time.sleep(0.2)  # the state settles (a paint, a run's next stop)
        started = time.perf_counter()
        _tmux("send-keys", "-t", session, "q")
        return _wait_for(session, PROMPT) - started
    finally:
        _tmux("kill-session", "-t", session)


def quit_times(repeats: int) -> list[Result]:
    """Each state's quit vs a bare Textual app's quit, interleaved (one bare quit beside each)."""
    if shutil.which("tmux") is None:
        print("tmux is not installed: quit benchmark skipped", file=sys.stderr)
        return []
    data = tempfile.mkdtemp(prefix="tutor-bench-")
    anchor = f"quit-anchor-{uuid.uuid4().hex[:8]}"
    _tmux("new-session", "-d", "-s", anchor, "sleep 900")
    results = []
    tutor = [sys.executable, "-m", "tutor.cli"]
    bare = [sys.executable, "-c", BARE_APP]
    try:
        for state, arguments, steps in STATES:
            mine, theirs = [], []
            for number in range(repeats):
                env = f"TUTOR_DATA_DIR={shlex.quote(os.path.join(data, f'{state}-{number}'))}"
                theirs.append(_quit_time(bare, [(None, "BARE-READY")], env) * 1000)
                mine.append(_quit_time([*tutor, *arguments], steps, env) * 1000)
            value, baseline = statistics.median(mine), statistics.median(theirs)
            ratio = value / baseline
            label = "a bare Textual app's quit"
            results.append(
                Result(f"quit: {state}", value, baseline, label, "≤ 1.2", "ms", ratio <= 1.2)
            )
    finally:
        _tmux("kill-session", "-t", anchor)
        shutil.rmtree(data, ignore_errors=True)
    return results
