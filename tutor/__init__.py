"""A terminal tutor that shows how Celery runs work asynchronously, on a real Celery app."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DISTRIBUTION = "celery-tutor"
"""The name the tutor is installed under (its version is read from there)."""


@cache
def _version() -> str:
    """The installed version; in a checkout never installed, the one pyproject.toml gives."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        import tomllib

        try:
            with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as handle:
                return str(tomllib.load(handle)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def __getattr__(name: str) -> str:
    """`tutor.__version__`, read only when asked for (importing the package stays light)."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
