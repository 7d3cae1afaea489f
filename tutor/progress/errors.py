"""The progress store's error, importable without SQLite (for the command line's first lines)."""

from __future__ import annotations


class ProgressError(Exception):
    """Progress could not be read or written; the message says which file and what to do."""
