"""A real class poll on loopback (random port), stopped after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tutor.poll.room import Room
from tutor.poll.server import PollServer


@pytest.fixture
def poll() -> Iterator[PollServer]:
    """A poll server listening on 127.0.0.1 on a free port, with a fresh room."""
    server = PollServer(Room(), port=0)
    server.start()
    yield server
    server.stop()


CHOICES = [("A", "0"), ("B", "1"), ("C", "2")]


def ask(server: PollServer) -> int:
    """Put a three-choice question to the room."""
    return server.room.ask("delay", "Delay · question 1 of 7", "How many messages wait?", CHOICES)
