"""The code stays linted, formatted and typed (strict on the engine and content): CI checks it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing_to_fix():
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_formatted():
    done = _run("ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes():
    done = _run("mypy", "tutor")
    assert done.returncode == 0, done.stdout + done.stderr


MAX_MODULE_LINES = 320
"""About 300 lines: a little more for a module that is mostly one table (compat.py)."""


def test_no_module_grows_past_its_one_job():
    """Modules stay small enough to hold one job (about 300 lines at most)."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "tutor").rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these along their seams: {long}"


def test_screens_reach_the_app_by_messages_not_by_name():
    """No screen looks the app's methods up by name (mypy could not check those calls)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "tutor").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "getattr(self.app" in line
    ]
    assert offenders == []


def test_the_demo_composes_the_lesson_parts_instead_of_inheriting_the_lesson_screen():
    from tutor.ui.screens.demo import DemoScreen
    from tutor.ui.screens.lesson import LessonScreen

    assert not issubclass(DemoScreen, LessonScreen)
    for screen in (DemoScreen, LessonScreen):
        composed = screen.compose.__code__.co_names
        assert "LessonPanels" in composed and "RunStatus" in composed, screen
