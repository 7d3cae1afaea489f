"""Reading a real Redis broker without consuming anything: the hood's values, as Redis has them.

Queue lists with LRANGE (a message stays where it is), the `unacked` hash, the
`_kombu.binding.*` sets and the `celery-task-meta-<id>` strings, all read by one Lua script that
Redis runs as one command (`READ_ALL`). Nothing here writes to Redis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


def _waiting(queue: str, items: Sequence[Any]) -> list[WireMessage]:
    return [
        decode_message(queue, {**envelope, "redelivered": redelivered(envelope)})
        for envelope in (_envelope(item) for item in reversed(items))
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
    return _unacked(client.hvals(UNACKED))


def _unacked(values: Sequence[Any]) -> list[WireMessage]:
    found = []
    for value in values:
        try:
            message, _exchange, routing_key = json.loads(text(value))
        except (ValueError, TypeError):
            continue
        if isinstance(message, dict):
            found.append(decode_message(str(routing_key), message))
    return found


def _bindings(sets: Iterable[tuple[Any, Iterable[Any]]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for raw_key, members in sets:
        key = text(raw_key)
        if key.endswith(".pidbox") or key.startswith(f"{BINDING_PREFIX}reply."):
            continue  # the remote-control mailboxes, not a task queue
        routes = []
        for member in members:
            routing_key, _pattern, queue = [*text(member).split(BINDING_SEPARATOR), "", ""][:3]
            routes.append(f"{routing_key} → {queue}")
        found[key] = tuple(sorted(routes))
    return dict(sorted(found.items()))


def _metas(keys: Sequence[str], values: Sequence[Any]) -> dict[str, dict[str, Any]]:
    pairs = zip(keys, values, strict=True)
    return {key: decode_meta(value) for key, value in pairs if value is not None}


@dataclass(frozen=True)
class RedisReading:
    """What a snapshot reads of Redis, all read in one round trip."""

    waiting: dict[str, list[WireMessage]]
    """Each queue's messages, oldest first."""
    lengths: dict[str, int]
    """Each queue list's length."""
    unacked: list[WireMessage]
    unacked_count: int
    metas: dict[str, dict[str, Any]]
    """`celery-task-meta-<id>` → its stored JSON, for the ids asked that have one."""
    bindings: dict[str, tuple[str, ...]]
    """Every `_kombu.binding.*` set (the run's exchange → queue routes), its members written
    `routing key → queue`; the remote-control mailboxes left out."""


READ_ALL = f"""
local queues = tonumber(ARGV[1])
local out = {{}}
for i = 1, queues do out[i] = redis.call('LRANGE', KEYS[i], 0, -1) end
out[queues + 1] = redis.call('HVALS', '{UNACKED}')
if #KEYS > queues then
  out[queues + 2] = redis.call('MGET', unpack(KEYS, queues + 1))
else
  out[queues + 2] = {{}}
end
local sets, cursor = {{}}, '0'
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', '{BINDING_PREFIX}*', 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    sets[#sets + 1] = key
    sets[#sets + 1] = redis.call('SMEMBERS', key)
  end
until cursor == '0'
out[queues + 3] = sets
return out
"""
"""A Lua script reading, without writing anything, every key a snapshot shows: the queue lists
(LRANGE), the unacknowledged hash, the stored metas and the binding sets; Redis runs it as one
command, so the snapshot is read at one instant and in one round trip."""


def state_keys(queues: Sequence[str], task_ids: Iterable[str]) -> list[str]:
    """The keys `READ_ALL` is given: the queue lists, then the stored metas of `task_ids`."""
    return [*queues, *(f"{TASK_META_PREFIX}{task_id}" for task_id in task_ids)]


def read_state(client: Any, queues: Sequence[str], task_ids: Iterable[str]) -> RedisReading:
    """The queues, the unacknowledged hash, the stored metas of `task_ids` and the bindings, in
    one round trip (a stage step then waits on Redis once, not once per key)."""
    keys = state_keys(queues, task_ids)
    replies: list[Any] = client.register_script(READ_ALL)(keys=keys, args=[len(queues)])
    return parse_state(replies, queues, keys)


def parse_state(replies: list[Any], queues: Sequence[str], keys: Sequence[str]) -> RedisReading:
    """`READ_ALL`'s reply for `keys` (see `state_keys`), decoded."""
    lists = replies[: len(queues)]
    hvals, values, sets = replies[len(queues)], replies[len(queues) + 1], replies[len(queues) + 2]
    metas = keys[len(queues) :]
    return RedisReading(
        waiting={name: _waiting(name, items) for name, items in zip(queues, lists, strict=True)},
        lengths={name: len(items) for name, items in zip(queues, lists, strict=True)},
        unacked=_unacked(hvals),
        unacked_count=len(hvals),
        metas=_metas(metas, values) if metas else {},
        bindings=_bindings(zip(sets[::2], sets[1::2], strict=True)),
    )


def broker_view(url: str, state: RedisReading) -> BrokerView:
    """The broker at this moment: list lengths, unacknowledged count, bindings, stored metas."""
    return BrokerView(
        url=shown_url(url),
        lists=dict(state.lengths),
        unacked=state.unacked_count,
        bindings=state.bindings,
        meta_keys=tuple(state.metas),
    )
