"""`python -m tutor`: the same as the `tutor` command."""

from __future__ import annotations

from .cli import command

command()
