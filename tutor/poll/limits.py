"""Per-client rate limits for the class poll: token buckets by browser token and by address.

Addresses are kept in memory only while they send requests (idle ones are dropped), never
written anywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

BROWSER_BURST = 12
"""Requests one browser may send at once (a page, its state, an answer, retries)."""
BROWSER_RATE = 3.0
"""Requests per second one browser may go on sending."""
ADDRESS_BURST = 400
"""Requests one address may send at once: a whole room behind one router asks together when the
question changes."""
ADDRESS_RATE = 150.0
IDLE_SECONDS = 120.0
"""A client silent this long is forgotten."""


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """One token bucket per key: `take(key)` is False when the key is over its rate."""

    def __init__(self, burst: int, rate: float) -> None:
        self.burst = burst
        self.rate = rate
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, now: float | None = None) -> bool:
        """Spend one token of `key`'s bucket, if it has one."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items() if now - b.at > IDLE_SECONDS]:
            del self._buckets[key]


class ClientLimits:
    """The poll's limits: a browser's, and its address's (all browsers behind it)."""

    def __init__(
        self,
        browser_burst: int = BROWSER_BURST,
        browser_rate: float = BROWSER_RATE,
        address_burst: int = ADDRESS_BURST,
        address_rate: float = ADDRESS_RATE,
    ) -> None:
        self.browsers = TokenBuckets(browser_burst, browser_rate)
        self.addresses = TokenBuckets(address_burst, address_rate)

    def allow(self, address: str, browser: str | None) -> bool:
        """True if this request may be served (it is counted either way)."""
        address_ok = self.addresses.take(address)
        browser_ok = browser is None or self.browsers.take(browser)
        return address_ok and browser_ok
