"""The broker a real-broker run uses: the learner's Redis (a URL), or a private `redis-server`.

`--broker redis` starts one private server per tutor process, on a free port of 127.0.0.1 with
its data in a temporary folder (no file is saved), under a small supervisor that stops it when the
tutor closes it or is gone. A URL is the learner's own Redis: it is checked with a short connect
timeout, so a refused connection is one clear line, never a hang.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import EngineError

PRIVATE = "redis"
"""The `--broker` word that asks for a private server."""
CONNECT_TIMEOUT = 1.0
"""Longest a connection to the broker may take before it counts as refused."""
START_TIMEOUT = 5.0
"""Longest a private server may take to answer its first PING."""
SCHEMES = ("redis://", "rediss://", "unix://")
PRIVATE_DATABASES = 64
"""How many databases the private server has (one per run open at the same time)."""


class BrokerUnavailable(EngineError):
    """The broker cannot be used; the message is one line saying which and what to do."""


def check_url(url: str) -> str:
    """`url` if it is a Redis URL the tutor can reach now (PING within a second)."""
    if not url.startswith(SCHEMES):
        raise BrokerUnavailable(
            f"--broker {url!r}: expected 'redis' (a private server) or a URL like "
            "redis://localhost:6379/0"
        )
    try:
        import redis
    except ImportError:
        raise BrokerUnavailable(
            "the 'redis' package is missing: pip install 'celery[redis]'"
        ) from None
    client = redis.Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT
    )
    try:
        client.ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BrokerUnavailable(
            f"cannot reach the Redis broker at {url} ({reason}); start Redis there, or use "
            "--broker redis for a private server"
        ) from None
    finally:
        client.close()
    return url


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateServer:
    """One `redis-server` of the tutor's own, under a supervisor that watches the tutor."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise BrokerUnavailable(
                "redis-server is not installed (Debian: apt-get install redis-server); or pass "
                "--broker redis://HOST:PORT/DB to use a Redis you run"
            )
        self.folder = tempfile.TemporaryDirectory(prefix="tutor-redis-")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", self.folder.name]
        command += ["--loglevel", "warning", "--databases", str(PRIVATE_DATABASES)]
        self.process: subprocess.Popen[bytes] = subprocess.Popen(
            [sys.executable, "-m", "tutor.engine.realbroker.supervise", *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                check_url(self.url)
                return
            except BrokerUnavailable:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise BrokerUnavailable(
                        f"the private redis-server did not start on port {self.port}"
                    ) from None
                time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server (the supervisor stops it when its stdin ends) and remove its folder."""
        stdin: IO[bytes] | None = self.process.stdin
        if stdin is not None and not stdin.closed:
            stdin.close()
        try:
            self.process.wait(2.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.folder.cleanup()


_private: PrivateServer | None = None
_lock = threading.Lock()


def private_server() -> PrivateServer:
    """The tutor's private server, started on first use (stopped at exit)."""
    global _private
    with _lock:
        if _private is None:
            _private = PrivateServer()
            atexit.register(stop_private_server)
        return _private


def is_private(url: str) -> bool:
    """Whether `url` is on the tutor's private server (its data is the tutor's to remove)."""
    server = _private
    return server is not None and url.startswith(f"redis://127.0.0.1:{server.port}/")


def stop_private_server() -> None:
    """Stop the private server if one was started (idempotent)."""
    global _private
    with _lock:
        server, _private = _private, None
    if server is not None:
        server.stop()


def resolve(value: str) -> str:
    """The broker URL `--broker VALUE` means: 'redis' starts (or reuses) the private server."""
    if value.strip().lower() == PRIVATE:
        return private_server().url
    return check_url(value.strip())


_databases_in_use: set[int] = set()


def take_database(url: str) -> tuple[str, int]:
    """A URL for one run of its own: the database of `url`, or the next free one after it while
    other runs (a what-if beside the lesson) are open, so runs never see each other's queues.
    Returns (URL, database number); give the number back with `give_back_database`."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    with _lock:
        number = base
        while number in _databases_in_use:
            number += 1
        _databases_in_use.add(number)
    return urlunsplit(parts._replace(path=f"/{number}")), number


def give_back_database(number: int) -> None:
    """A run closed: its database may serve another run."""
    with _lock:
        _databases_in_use.discard(number)


def redis_client(url: str, **options: Any) -> Any:
    """A Redis client with short timeouts (the tutor never hangs on a broker)."""
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=5.0, **options
    )
