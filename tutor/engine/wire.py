"""Task messages as they travel: the memory transport's raw message dicts, decoded (no kombu)."""

from __future__ import annotations

import ast
import base64
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WireMessage:
    """A task message as it sits in a queue, decoded from its real body and headers."""

    id: str
    task: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    headers: dict[str, Any]
    properties: dict[str, Any]
    queue: str
    redelivered: bool = False
    """Put back by the broker after a worker took it and was lost before acknowledging it."""

    @property
    def eta(self) -> str | None:
        """When a countdown/ETA message may run (ISO text, from its headers), if it has one."""
        eta = self.headers.get("eta")
        return None if eta is None else str(eta)

    @property
    def retries(self) -> int:
        """How many times the task was retried before this message."""
        return int(self.headers.get("retries") or 0)

    @property
    def short_id(self) -> str:
        """The first 8 characters of the id, enough to tell messages apart on screen."""
        return self.id[:8]


def decode_message(queue: str, raw: dict[str, Any]) -> WireMessage:
    """Decode a raw message dict of the memory transport (base64 JSON body) into its parts."""
    headers = dict(raw.get("headers") or {})
    properties = dict(raw.get("properties") or {})
    body: Any = raw.get("body")
    encoding = properties.get("body_encoding")
    try:
        if encoding == "base64" and isinstance(body, (str, bytes)):
            body = base64.b64decode(body)
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        decoded = json.loads(body) if isinstance(body, str) else body
    except (ValueError, TypeError):
        decoded = None
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {}
    if isinstance(decoded, list) and len(decoded) >= 2:
        args = tuple(decoded[0])
        kwargs = dict(decoded[1])
    elif decoded is None:  # not JSON (a pickle, msgpack or yaml app): Celery's own repr headers
        args, kwargs = _from_reprs(headers)
    return WireMessage(
        id=str(headers.get("id") or properties.get("correlation_id") or ""),
        task=str(headers.get("task") or ""),
        args=args,
        kwargs=kwargs,
        headers=headers,
        properties=properties,
        queue=queue,
        redelivered=bool(raw.get("redelivered")),
    )


def _from_reprs(headers: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments as the `argsrepr` and `kwargsrepr` headers spell them (Python literals),
    when they are whole; else none."""
    try:
        args = ast.literal_eval(str(headers.get("argsrepr") or "()"))
        kwargs = ast.literal_eval(str(headers.get("kwargsrepr") or "{}"))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return (), {}
    if not isinstance(args, (tuple, list)) or not isinstance(kwargs, dict):
        return (), {}
    return tuple(args), kwargs
