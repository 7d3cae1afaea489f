"""A plain, non-editable install carries the lessons and quizzes: `tutor list` works anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("*.whl")
    return built


def test_the_wheel_carries_every_lesson_and_quiz(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("lessons", "quizzes"):
        for path in (ROOT / folder).glob("*.toml"):
            assert f"tutor/_content/{folder}/{path.name}" in names


def test_tutor_list_works_from_another_directory_after_a_plain_install(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import tutor, sys; from tutor.cli import main; "
        f"assert tutor.__file__.startswith({str(target)!r}), tutor.__file__; "
        "sys.exit(main(['list']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "delay"


def test_the_wheel_has_both_commands_and_the_new_lesson_templates(wheel: Path):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    assert {"tutor/templates/lesson.toml", "tutor/templates/quiz.toml"} <= names
    [entry_points] = [name for name in names if name.endswith("entry_points.txt")]
    scripts = archive.read(entry_points).decode()
    assert "tutor = tutor.cli:command" in scripts and "celery-tutor = tutor.cli:command" in scripts
