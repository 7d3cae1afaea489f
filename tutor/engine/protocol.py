"""What the player and the screens need of a run: the seam for a second engine.

`Run` (a real Celery app with in-thread workers) is the engine today. A later engine (for example
a real Redis broker with worker processes) fits the player and the screens unchanged if it offers
this protocol and reports through the same vocabulary: `Snapshot` (with its views), `Stage` and
`Stop`. Nothing outside the engine should need more of a run than this.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, runtime_checkable

from .config import RunConfig
from .snapshot import Snapshot
from .stages import Stage
from .trace import Trace


@runtime_checkable
class RunLike(Protocol):
    """A run held at every stage until the learner moves it on."""

    snapshots: list[Snapshot]
    """Every snapshot so far, one per stop reached, oldest first."""

    @classmethod
    def start(cls, config: RunConfig) -> RunLike:
        """Set the run up from `config` and start it (held at its first stop)."""

    @property
    def trace(self) -> Trace:
        """The run's trace of real events (read it through snapshots where possible)."""

    @property
    def finished(self) -> bool:
        """True once the run reached its FINISHED stop."""

    def advance(self) -> Snapshot:
        """Let the current stage go on; return the snapshot of the next stop."""

    def advance_to(self, *stages: Stage) -> Snapshot:
        """Advance until one of `stages` (or FINISHED) is reached."""

    def run_to_end(self) -> list[Snapshot]:
        """Advance through every stop; return all snapshots of the run."""

    def stop_worker(self, name: str) -> None:
        """Stop one worker now (a "what if the worker is down" experiment)."""

    def close(self) -> None:
        """Release every held thread, stop the workers, forget the run's state (idempotent)."""

    def __enter__(self) -> RunLike:
        """The run itself; closed at the end of the block."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the run."""
