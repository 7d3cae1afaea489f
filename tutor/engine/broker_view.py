"""A real broker server's state at one stop, as a snapshot shows it (real broker mode only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BrokerView:
    """A real Redis broker at one stop, read without consuming: `url` (no password), `lists`
    (queue → LLEN of its list), `unacked` (HLEN of the hash of messages taken and not acknowledged
    yet), `bindings` (`_kombu.binding.<queue>` → members), `meta_keys` (the run's stored metas)."""

    url: str
    lists: dict[str, int]
    unacked: int
    bindings: dict[str, tuple[str, ...]]
    meta_keys: tuple[str, ...] = ()
