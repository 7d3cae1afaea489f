"""The set of a run's busy threads, counting how often one started to move."""

from __future__ import annotations


class BusyThreads(set[int]):
    """The threads of a run doing work now; `moves` counts every thread added, and every stop
    that parks no thread (it only grows), so two equal counts mean nothing moved in between."""

    moves = 0

    def add(self, ident: int) -> None:
        """Mark thread `ident` busy (one more move)."""
        self.moves += 1
        super().add(ident)

    def stop_reached(self) -> None:
        """A stop that parks no thread was reached (a message gated, a timer entry): one more
        move, though no thread starts (the one that reached it may be waiting, not busy)."""
        self.moves += 1
