"""Moving a run on, one stop at a time: what every engine (in memory, on a real broker) shares.

An engine's run class mixes `Stepping` in and provides its `conductor`, `config`, `snapshots`,
the `_settled` snapshots read when the run last settled, `snapshot(stop)`, `stop_worker(name)`
and `close()`.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from .stages import Stage, Stop, worker_of

if TYPE_CHECKING:
    from .conductor import Conductor
    from .snapshot import Snapshot


class Stepping:
    """advance / advance_to / run_to_end, `finished`, and closing as a context manager."""

    conductor: Conductor
    config: Any
    snapshots: list[Snapshot]
    _settled: dict[int, Snapshot]

    def snapshot(self, stop: Stop) -> Snapshot:
        """Read the real state now into a Snapshot (each engine reads its own)."""
        raise NotImplementedError

    def stop_worker(self, name: str) -> None:
        """Stop one worker now, for real (each engine stops its own kind)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release everything the run holds (each engine its own)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def finished(self) -> bool:
        """True once the run reached its FINISHED stop."""
        return bool(self.snapshots) and self.snapshots[-1].stage is Stage.FINISHED

    def advance(self) -> Snapshot:
        """Let the current stage go on; return the snapshot of the next stop.

        Raises RunStalled when the next stop is not reached within `config.stage_timeout`,
        RunClosed when the run is closed meanwhile (at once, from any thread), and SampleError
        once the sample went past a limit (`config.max_messages`)."""
        stop = self.conductor.advance(self.config.stage_timeout)
        if self.snapshots and self.snapshots[-1].stop == stop:
            return self.snapshots[-1]
        snapshot = self._settled.pop(stop.seq, None) or self.snapshot(stop)
        self.snapshots.append(snapshot)
        wanted = self.config.stop_worker
        if wanted and (worker_of(stop.thread), stop.stage.value) == wanted:
            self.stop_worker(wanted[0])  # every thread (or process) is held or idle now
        return snapshot

    def _read_settled(self, stops: list[Stop]) -> None:
        """Read the snapshot of each stop reached since the run last settled, now that it settled
        again: every thread held or idle, so each shows what was true at its stop."""
        for stop in stops:
            self._settled[stop.seq] = self.snapshot(stop)

    def advance_to(self, *stages: Stage) -> Snapshot:
        """Advance until one of `stages` (or FINISHED) is reached."""
        while True:
            snapshot = self.advance()
            if snapshot.stage in stages or snapshot.stage is Stage.FINISHED:
                return snapshot

    def run_to_end(self) -> list[Snapshot]:
        """Advance through every stop; return all snapshots of the run."""
        while not self.finished:
            self.advance()
        return list(self.snapshots)
