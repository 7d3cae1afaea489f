"""Run the engine tests on the lowest and the highest Celery and kombu the dependency ranges allow.

    python scripts/version_matrix.py            # both ends, each in a fresh venv under .matrix/

The lowest end installs exactly the lower bounds written in pyproject.toml; the highest lets pip
pick the newest versions inside the ranges. Each end runs tests/engine, tests/player and
tests/test_compat.py (the private names the engine relies on). Needs the package registry.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("celery", "kombu")
TESTS = ["tests/engine", "tests/player", "tests/test_compat.py"]


def lower_bounds() -> dict[str, str]:
    """The `>=` bound of each package in pyproject.toml's runtime dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        found = re.match(r"^([a-z-]+)>=([0-9.]+)", requirement)
        if found and found.group(1) in PACKAGES:
            bounds[found.group(1)] = found.group(2)
    return bounds


def run_end(name: str, pins: list[str]) -> int:
    """Make a venv, install the tutor with its test tools, apply `pins`, run the engine tests."""
    venv = ROOT / ".matrix" / name
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    subprocess.run([*pip, "--upgrade", *pins], check=True)
    versions = subprocess.run(
        [str(python), "-c", "import celery, kombu; print(celery.__version__, kombu.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    print(f"== {name}: celery {versions[0]}, kombu {versions[1]}", flush=True)
    return subprocess.run([str(python), "-m", "pytest", "-q", *TESTS], cwd=ROOT).returncode


def main() -> int:
    """Both ends; the status is the worse of the two."""
    bounds = lower_bounds()
    lowest = [f"{package}=={version}" for package, version in bounds.items()]
    highest = [f"{package}>={version},<6" for package, version in bounds.items()]
    return max(run_end("lowest", lowest), run_end("highest", highest))


if __name__ == "__main__":
    raise SystemExit(main())
