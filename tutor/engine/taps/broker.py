"""The broker tap: hears the run's broker store (put, take, ack) and gates each task message."""

from __future__ import annotations

from typing import Any

from ..errors import SampleError
from ..records import plain
from ..where import line_now
from ..wire import decode_message
from .base import TapContext, args_text


class BrokerTap:
    """A `BrokerListener`: records broker events and keeps a message queued until its stop."""

    def __init__(self, context: TapContext) -> None:
        self.context = context
        self.published = 0
        """Task messages put so far."""

    def before_put(self, queue: str, message: dict[str, Any]) -> None:
        """A message enters a queue: record it and, for a task message, gate it. One message past
        the run's limit raises SampleError in the publisher and stops the run."""
        wire = decode_message(queue, message)
        if not wire.id or not wire.task:
            return
        self._count()
        trace = self.context.trace
        before = self.context.ledger.get(wire.id)
        self.context.ledger.update(
            wire.id,
            wire.task,
            args=list(wire.args),
            kwargs=dict(wire.kwargs),
            queue=queue,
            eta=wire.eta,
            retries=wire.retries,
            arguments=self.context.bind(wire.task, wire.args, wire.kwargs),
            published_by=trace.thread_name(),
            published_at=trace.now(),
            published_line=line_now(self.context.filename),
            paused_at_publish=self.context.conductor.clock.real_paused(),
            publishes=(0 if before is None else before.publishes) + 1,
        )
        trace.record(
            "broker",
            "put",
            task_id=wire.id,
            summary=f"message {wire.task}{args_text(wire.args, wire.kwargs)} "
            + ("put back (redelivered) in" if wire.redelivered else "put in")
            + f" '{queue}'",
            data={
                "queue": queue,
                "task": wire.task,
                "args": plain(wire.args),
                "retries": wire.retries,
                "eta": wire.eta,
                "expires": plain(wire.headers.get("expires")),
                "redelivered": wire.redelivered,
            },
        )
        self.context.conductor.gate_message(
            wire.id,
            queue,
            task_name=wire.task,
            detail=f"the message for {wire.task} waits in queue '{queue}'; no worker has it yet"
            + (" (redelivered: a lost worker never acknowledged it)" if wire.redelivered else ""),
        )

    def _count(self) -> None:
        context = self.context
        self.published += 1
        if self.published <= context.max_messages:
            return
        line = line_now(context.filename)
        at = f" (line {line} was publishing)" if line is not None else ""
        text = (
            f"{context.filename}: the sample published more than {context.max_messages} messages "
            f"(the limit per run){at}"
        )
        if self.published == context.max_messages + 1:
            context.trace.record("run", "message-limit", summary=text)
        context.conductor.fail(SampleError(text, line=line))
        raise SampleError(text, line=line)

    def may_take(self, queue: str, message: dict[str, Any]) -> bool:
        """Whether a worker may take the message at the head of `queue` now."""
        wire = decode_message(queue, message)
        if not wire.id or not wire.task:
            return True
        return self.context.conductor.may_take(wire.id)

    def taken(self, queue: str, message: dict[str, Any]) -> None:
        """A worker took a message off a queue."""
        wire = decode_message(queue, message)
        if wire.id and wire.task:
            self.context.conductor.took(wire.id)
        self.context.trace.record(
            "broker",
            "get",
            task_id=wire.id or None,
            summary=f"a worker took the message for {wire.task or '?'} off queue '{queue}'",
            data={"queue": queue},
        )

    def idle(self, queue: str) -> None:
        """A worker found nothing to take: it is idle."""
        self.context.conductor.end_work()

    def prefetch_full(self, full: bool) -> None:
        """A worker is about to poll, its prefetch full (it takes nothing: idle) or not."""
        self.context.conductor.prefetch_full(full)

    def acked(self, delivery_tag: Any, message: Any) -> None:
        """A worker acknowledged a message: the broker forgets it."""
        self.context.conductor.prefetch_full(None)
        task_id = None
        if message is not None:
            task_id = (message.headers or {}).get("id")
        self.context.trace.record(
            "broker",
            "ack",
            task_id=task_id,
            summary="the worker acknowledged the message; the broker forgets it",
            data={"delivery_tag": str(delivery_tag)},
        )
