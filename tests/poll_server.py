"""A real class poll on loopback (random port), stopped after each test: the `poll` fixture of
the poll tests and the demo's (tutor.poll is imported only when a test asks for it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tutor.poll.server import PollServer

CHOICES = [("A", "0"), ("B", "1"), ("C", "2")]


@pytest.fixture
def poll() -> Iterator[PollServer]:
    """A poll server listening on 127.0.0.1 on a free port, with a fresh room."""
    from tutor.poll.room import Room
    from tutor.poll.server import PollServer

    server = PollServer(Room(), port=0)
    server.start()
    yield server
    server.stop()


def ask(server: PollServer) -> int:
    """Put a three-choice question to the room."""
    return server.room.ask("delay", "Delay · question 1 of 7", "How many messages wait?", CHOICES)
