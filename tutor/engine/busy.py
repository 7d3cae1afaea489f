"""The set of a run's busy threads, counting how often one started to move."""

from __future__ import annotations


class BusyThreads(set[int]):
    """The threads of a run doing work now; `moves` counts every thread added (it only grows),
    so two equal counts mean no thread started to move in between."""

    moves = 0

    def add(self, ident: int) -> None:
        """Mark thread `ident` busy (one more move)."""
        self.moves += 1
        super().add(ident)
