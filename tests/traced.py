"""What the tests of `tutor trace` share: a developer's tasks module whose broker and backend point
at a port of the test's choosing, and a listening socket that tells whether anything connected."""

from __future__ import annotations

import socket

TASKS_MODULE = """from celery import Celery, chain

app = Celery("proj", broker="redis://127.0.0.1:{port}/0", backend="redis://127.0.0.1:{port}/1")


@app.task
def mul(x, y):
    return x * y


@app.task
def add(x, y):
    return x + y
"""
"""A developer's tasks.py as it is (format it with `port`): two tasks on their own Celery app."""


def listening_socket() -> socket.socket:
    """A socket listening on a free local port: a connection to it would wait in its backlog."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    return server


def anybody_connected(server: socket.socket) -> bool:
    """Whether anything connected to `server` (it is accepted and closed)."""
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return False
    connection.close()
    return True
