"""Speaker notes over a local (Unix) socket: the demo publishes, `tutor notes` follows.

A Unix socket lives in the learner's own folder with owner-only permissions: nothing is exposed
on the network. Each message is one JSON line; a follower that connects late gets the last one.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SOCKET_NAME = "demo.sock"


def default_socket_path() -> Path:
    """Where a running demo listens: beside the progress file."""
    from ..progress.store import default_data_dir

    return default_data_dir() / SOCKET_NAME


class NotesPublisher:
    """Serves the current step's notes to every `tutor notes` that connects."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._clients: list[socket.socket] = []
        self._last: bytes | None = None
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen on the socket (replacing a stale one left by a crashed demo)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self.path.unlink()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(self.path))
        os.chmod(self.path, 0o600)
        server.listen(8)
        server.settimeout(0.2)
        self._server = server
        self._thread = threading.Thread(target=self._accept, name="notes-publisher", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._server is not None:
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._clients.append(client)
                if self._last is not None:
                    self._send(client, self._last)

    def _send(self, client: socket.socket, data: bytes) -> None:
        try:
            client.sendall(data)
        except OSError:
            if client in self._clients:
                self._clients.remove(client)
            client.close()

    def publish(self, message: dict[str, Any]) -> None:
        """Send one update to every follower (and keep it for late ones)."""
        data = (json.dumps(message) + "\n").encode("utf-8")
        with self._lock:
            if data == self._last:
                return
            self._last = data
            for client in list(self._clients):
                self._send(client, data)

    def close(self) -> None:
        """Stop serving and remove the socket."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
        if self._thread is not None:
            self._thread.join(1.0)
        if self.path.exists():
            self.path.unlink()


class NoDemoRunning(Exception):
    """No demo listens on the socket."""


def _connect(path: Path, wait: float) -> socket.socket:
    deadline = time.monotonic() + wait
    while True:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            client.connect(str(path))
            return client
        except (FileNotFoundError, ConnectionRefusedError):
            client.close()
            if time.monotonic() >= deadline:
                raise NoDemoRunning(
                    f"no demo is running (nothing listens on {path}); start one with 'tutor demo'"
                ) from None
            time.sleep(0.2)


def follow(path: Path, wait: float = 0.0) -> Iterator[dict[str, Any]]:
    """Each update the demo publishes, until it ends (waiting up to `wait` s for it to start)."""
    client = _connect(path, wait)
    with client, client.makefile("r", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
