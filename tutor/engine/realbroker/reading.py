"""Reading a real Redis broker without consuming anything: the hood's values, as Redis has them.

Queue lists with LLEN and LRANGE (a message stays where it is), the `unacked` hash, the
`_kombu.binding.*` sets and the `celery-task-meta-<id>` strings. Nothing here writes to Redis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..snapshot import BrokerView, decode_meta
from ..wire import WireMessage, decode_message

TASK_META_PREFIX = "celery-task-meta-"
UNACKED = "unacked"
BINDING_PREFIX = "_kombu.binding."
BINDING_SEPARATOR = "\x06\x16"
"""How kombu joins a binding's routing key, pattern and queue in one set member."""


def text(value: Any) -> str:
    """A Redis reply as text."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def shown_url(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _envelope(raw: Any) -> dict[str, Any]:
    try:
        decoded = json.loads(text(raw))
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def waiting(client: Any, queue: str) -> list[WireMessage]:
    """The messages in a queue's list, oldest first (kombu pushes on the left, pops on the
    right), read with LRANGE: nothing is taken."""
    return [
        decode_message(queue, {**envelope, "redelivered": redelivered(envelope)})
        for envelope in envelopes(client, queue)
    ]


def redelivered(envelope: dict[str, Any]) -> bool:
    """Whether kombu put the message back after a worker took it and never acknowledged it."""
    headers = envelope.get("headers") or {}
    info = (envelope.get("properties") or {}).get("delivery_info") or {}
    return bool(headers.get("redelivered") or info.get("redelivered"))


def envelopes(client: Any, queue: str) -> list[dict[str, Any]]:
    """The raw JSON envelopes in a queue's list, oldest first (LRANGE: nothing is taken)."""
    return [_envelope(item) for item in reversed(client.lrange(queue, 0, -1))]


def unacked(client: Any) -> list[WireMessage]:
    """The messages workers took and have not acknowledged (the `unacked` hash)."""
    found = []
    for value in client.hvals(UNACKED):
        try:
            message, _exchange, routing_key = json.loads(text(value))
        except (ValueError, TypeError):
            continue
        if isinstance(message, dict):
            found.append(decode_message(str(routing_key), message))
    return found


def bindings(client: Any) -> dict[str, tuple[str, ...]]:
    """Every `_kombu.binding.<queue>` set (the run's exchange → queue routes) with its members,
    written `routing key → queue`."""
    found: dict[str, tuple[str, ...]] = {}
    for key in sorted(text(k) for k in client.scan_iter(match=f"{BINDING_PREFIX}*", count=100)):
        if key.endswith(".pidbox") or key.startswith(f"{BINDING_PREFIX}reply."):
            continue  # the remote-control mailboxes, not a task queue
        members = []
        for member in client.smembers(key):
            routing_key, _pattern, queue = [*text(member).split(BINDING_SEPARATOR), "", ""][:3]
            members.append(f"{routing_key} → {queue}")
        found[key] = tuple(sorted(members))
    return found


def metas(client: Any, task_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """`celery-task-meta-<id>` → its stored JSON, for the ids that have one (GET each)."""
    ids = list(task_ids)
    if not ids:
        return {}
    keys = [f"{TASK_META_PREFIX}{task_id}" for task_id in ids]
    return {
        key: decode_meta(value)
        for key, value in zip(keys, client.mget(keys), strict=True)
        if value is not None
    }


def broker_view(
    client: Any, url: str, queues: Iterable[str], meta_keys: Iterable[str]
) -> BrokerView:
    """The broker at this moment: list lengths, unacknowledged count, bindings, stored metas."""
    return BrokerView(
        url=shown_url(url),
        lists={name: int(client.llen(name)) for name in queues},
        unacked=int(client.hlen(UNACKED)),
        bindings=bindings(client),
        meta_keys=tuple(meta_keys),
    )
