"""Speaker notes over a local socket: the demo publishes, `tutor notes` follows.

Two transports, one endpoint path. Where Python has Unix sockets, the path is the socket itself
(mode 0600). Where it has none (Windows), the demo listens on 127.0.0.1 on a random port and
writes the port and a random token to the path (mode 0600); a follower must send that token
first, or it is dropped. Either way only this user can follow, and nothing is reachable from the
network. The default path is in the user's runtime folder, created readable by the user alone.

Each message is one JSON line; a follower that connects late gets the last one.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

ENDPOINT_NAME = "demo-notes"
"""The file name of the default endpoint (a socket, or the TCP port and token)."""
TRANSPORT_ENV = "TUTOR_NOTES_TRANSPORT"
"""Set to "tcp" to publish over 127.0.0.1 with a token even where Unix sockets exist."""
ENDPOINT_FORMAT = "celery-tutor-notes"
LOCALHOST = "127.0.0.1"
HANDSHAKE_SECONDS = 2.0
"""How long a TCP follower has to send its token."""

Transport = Literal["unix", "tcp"]


def _private_folder(folder: Path) -> Path:
    """`folder`, created if missing, owned by this user and closed to everyone else (0700)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "getuid"):
        status = folder.lstat()
        if folder.is_symlink() or status.st_uid != os.getuid():
            raise PermissionError(f"{folder} is not a folder of your own")
        if status.st_mode & 0o077:
            folder.chmod(0o700)
    return folder


def runtime_folder() -> Path:
    """The user's runtime folder for the tutor (0700): `platformdirs.user_runtime_path`, else a
    folder of the user's own in the temporary folder."""
    try:
        from platformdirs import user_runtime_path

        with warnings.catch_warnings():  # platformdirs warns when it falls back; we say nothing
            warnings.simplefilter("ignore")
            return _private_folder(user_runtime_path("celery-tutor", appauthor=False))
    except OSError:
        user = os.getuid() if hasattr(os, "getuid") else os.getpid()
        return _private_folder(Path(tempfile.gettempdir()) / f"celery-tutor-{user}")


def default_socket_path() -> Path:
    """Where a running demo publishes its notes by default."""
    return runtime_folder() / ENDPOINT_NAME


def choose_transport(transport: str | None = None) -> Transport:
    """`transport`, else $TUTOR_NOTES_TRANSPORT, else Unix sockets where this Python has them."""
    wanted = transport or os.environ.get(TRANSPORT_ENV) or ""
    if wanted not in ("", "unix", "tcp"):
        raise ValueError(f"unknown notes transport {wanted!r} (use unix or tcp)")
    if wanted == "tcp" or not hasattr(socket, "AF_UNIX"):
        return "tcp"
    return "unix"


def _remove_stale(path: Path) -> None:
    """Remove an endpoint a crashed demo left behind, never a file that is something else."""
    if path.is_symlink() or path.is_socket() or (path.is_file() and _read_endpoint(path)):
        path.unlink()
    elif path.exists():
        raise FileExistsError(f"{path} exists and is not a demo's notes endpoint")


def _read_endpoint(path: Path) -> tuple[int, str] | None:
    """The port and token of a TCP endpoint file; None if the file is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] == ENDPOINT_FORMAT:
            return int(data["port"]), str(data["token"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        pass
    return None


def _write_endpoint(path: Path, port: int, token: str) -> None:
    """Write the endpoint file (0600) whole: a follower never reads half of it."""
    data = json.dumps({"format": ENDPOINT_FORMAT, "port": port, "token": token})
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(data)
    os.replace(partial, path)


class NotesPublisher:
    """Serves the current step's notes to every `tutor notes` that connects.

    `start()` raises OSError when it cannot listen (the caller carries on without notes).
    """

    def __init__(self, path: Path, transport: str | None = None) -> None:
        self.path = path
        self.transport = transport
        self._token: str | None = None
        self._clients: list[socket.socket] = []
        self._last: bytes | None = None
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen (replacing an endpoint left by a crashed demo) and publish where."""
        try:
            transport = choose_transport(self.transport)
        except ValueError as exc:
            raise OSError(str(exc)) from None
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_stale(self.path)
        if transport == "unix":
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(str(self.path))
            os.chmod(self.path, 0o600)
        else:
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.bind((LOCALHOST, 0))
            self._token = secrets.token_urlsafe(24)
            _write_endpoint(self.path, server.getsockname()[1], self._token)
        server.listen(8)
        server.settimeout(0.2)
        self._server = server
        self._thread = threading.Thread(target=self._accept, name="notes-publisher", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while (server := self._server) is not None:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._token is None:
                self._admit(client)
            else:
                threading.Thread(target=self._check_token, args=(client,), daemon=True).start()

    def _check_token(self, client: socket.socket) -> None:
        """Admit a TCP follower whose first line is the token; drop any other."""
        expected = f"{self._token}\n".encode()
        received = b""
        try:
            client.settimeout(HANDSHAKE_SECONDS)
            while not received.endswith(b"\n") and len(received) < len(expected):
                chunk = client.recv(len(expected) - len(received))
                if not chunk:
                    break
                received += chunk
            client.settimeout(None)
        except OSError:
            received = b""
        if hmac.compare_digest(received, expected):
            self._admit(client)
        else:
            client.close()

    def _admit(self, client: socket.socket) -> None:
        with self._lock:
            if self._server is None:  # closed meanwhile: the follower sees the demo end
                client.close()
                return
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
        """Stop serving and remove the endpoint."""
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):  # wakes the accept() the thread waits in now,
                server.shutdown(socket.SHUT_RDWR)  # rather than at its 0.2 s timeout
            server.close()
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
        if self._thread is not None:
            self._thread.join(1.0)
        if server is not None:
            self.path.unlink(missing_ok=True)


class NoDemoRunning(Exception):
    """No demo publishes notes at the endpoint."""


def _open(path: Path) -> socket.socket:
    """A connection to the demo at `path` (FileNotFoundError or ConnectionError: none yet)."""
    if path.is_file():
        endpoint = _read_endpoint(path)
        if endpoint is None:
            raise FileNotFoundError(path)  # half written, or not an endpoint: wait and see
        port, token = endpoint
        client = socket.create_connection((LOCALHOST, port), timeout=HANDSHAKE_SECONDS)
        client.sendall(f"{token}\n".encode())
        client.settimeout(None)
        return client
    if not hasattr(socket, "AF_UNIX"):
        raise FileNotFoundError(path)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
    except OSError:
        client.close()
        raise
    return client


def _connect(path: Path, wait: float) -> socket.socket:
    deadline = time.monotonic() + wait
    while True:
        try:
            return _open(path)
        except (FileNotFoundError, ConnectionRefusedError, TimeoutError):
            if time.monotonic() >= deadline:
                raise NoDemoRunning(
                    f"no demo is running (nothing listens on {path}); start one with 'tutor demo'"
                ) from None
            time.sleep(0.2)


def follow(path: Path, wait: float = 0.0) -> Iterator[dict[str, Any]]:
    """Each update the demo publishes, until it ends (waiting up to `wait` s for it to start).

    The transport is read from the endpoint: a socket, or a file naming a port and a token.
    """
    client = _connect(path, wait)
    with client, client.makefile("r", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
