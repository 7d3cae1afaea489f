"""The signal tap: Celery's own signals (publish, received, prerun, postrun, outcome...) for a run.

Receivers connect with `weak=False` and a `dispatch_uid` naming the run, and disconnect at
teardown. Signals are process-wide: each receiver keeps only what concerns its run's app or
threads.
"""

from __future__ import annotations

from typing import Any

from celery import signals

from ..stages import Stage, worker_of
from ..where import sample_traceback
from .base import TapContext, args_text

_SIGNALS = {
    "before_task_publish": signals.before_task_publish,
    "after_task_publish": signals.after_task_publish,
    "task_received": signals.task_received,
    "task_prerun": signals.task_prerun,
    "task_postrun": signals.task_postrun,
    "task_success": signals.task_success,
    "task_failure": signals.task_failure,
    "task_retry": signals.task_retry,
    "task_revoked": signals.task_revoked,
    "task_rejected": signals.task_rejected,
    "task_unknown": signals.task_unknown,
}


class SignalTap:
    """Receivers of Celery's signals for one run: trace events, ledger updates, held stages."""

    def __init__(self, context: TapContext, uid: str) -> None:
        self.context = context
        self._uid = uid

    def connect(self) -> None:
        """Listen to Celery's signals for this run."""
        for name, signal in _SIGNALS.items():
            receiver = getattr(self, f"_on_{name}")
            signal.connect(receiver, weak=False, dispatch_uid=f"{self._uid}-{name}")

    def disconnect(self) -> None:
        """Stop listening (at teardown)."""
        for name, signal in _SIGNALS.items():
            signal.disconnect(dispatch_uid=f"{self._uid}-{name}")

    # ------------------------------------------------------------------ publishing (caller side)
    def _on_before_task_publish(self, sender: Any = None, headers: Any = None, **kw: Any) -> None:
        trace = self.context.trace
        if not trace.owns_current_thread():
            return
        trace.record(
            "signal",
            "before_task_publish",
            task_id=(headers or {}).get("id"),
            summary=f"publishing {sender} to routing key '{kw.get('routing_key')}'",
            data={"routing_key": kw.get("routing_key"), "exchange": kw.get("exchange")},
        )

    def _on_after_task_publish(self, sender: Any = None, headers: Any = None, **kw: Any) -> None:
        trace = self.context.trace
        if not trace.owns_current_thread():
            return
        trace.record(
            "signal",
            "after_task_publish",
            task_id=(headers or {}).get("id"),
            summary=f"{sender} published; the sender does not wait for it to run",
        )

    # ------------------------------------------------------------------ the worker's side
    def _on_task_received(self, sender: Any = None, request: Any = None, **kw: Any) -> None:
        context = self.context
        if getattr(sender, "app", None) is not context.app or request is None:
            return
        thread = context.trace.thread_name()
        task_id = str(request.id)
        context.ledger.update(
            task_id, request.name, received_by=thread, received_at=context.trace.now()
        )
        context.ledger.worker_holds(thread, task_id)
        context.trace.record(
            "signal",
            "task_received",
            task_id=task_id,
            summary=f"{thread} received {request.name}{args_text(request.args, request.kwargs)}",
        )
        eta = f" (it must wait until {request.eta})" if request.eta else ""
        context.conductor.hold(
            Stage.RECEIVED,
            task_id=task_id,
            task_name=request.name,
            detail=f"{thread} took the message; it is not acknowledged yet{eta}",
        )

    def _on_task_prerun(self, sender: Any = None, task_id: Any = None, **kw: Any) -> None:
        if self.context.ours(sender):
            self.context.trace.record(
                "signal", "task_prerun", task_id=task_id, summary="task_prerun"
            )

    def _on_task_postrun(self, sender: Any = None, task_id: Any = None, **kw: Any) -> None:
        context = self.context
        if not context.ours(sender):
            return
        context.ledger.worker_released(worker_of(context.trace.thread_name()), task_id)
        context.trace.record(
            "signal",
            "task_postrun",
            task_id=task_id,
            summary=f"{sender.name} finished with state {kw.get('state')}",
            data={"state": kw.get("state")},
        )

    # ------------------------------------------------------------------ outcomes
    def _stored(self, sender: Any, task_id: str, outcome: str, summary: str) -> None:
        context = self.context
        context.ledger.update(task_id, sender.name, outcome=outcome)
        app = context.app
        ignored = sender.ignore_result or app.conf.task_ignore_result
        if type(app.backend).__name__ == "DisabledBackend":
            where = "there is no result backend, so the outcome is not stored"
        elif ignored and outcome == "success":
            where = "ignore_result is set, so the outcome is not stored"
        else:
            where = f"the result backend stored state {outcome.upper()}"
        context.trace.record(
            "signal", f"task_{outcome}", task_id=task_id, summary=f"{summary}; {where}"
        )
        context.conductor.hold(Stage.STORED, task_id=task_id, task_name=sender.name, detail=where)

    def _on_task_success(self, sender: Any = None, result: Any = None, **kw: Any) -> None:
        if self.context.ours(sender):
            task_id = str(sender.request.id)
            self._stored(sender, task_id, "success", f"{sender.name} succeeded with {result!r}")

    def _on_task_failure(
        self,
        sender: Any = None,
        task_id: Any = None,
        exception: Any = None,
        einfo: Any = None,
        **kw: Any,
    ) -> None:
        if not self.context.ours(sender):
            return
        lines = sample_traceback(exception, self.context.filename)
        record = self.context.ledger.update(
            str(task_id),
            sender.name,
            exception=f"{type(exception).__name__}: {exception}",
            exception_type=type(exception).__name__,
            traceback_lines=lines,
            traceback="\n".join(lines),
        )
        self._stored(sender, str(task_id), "failure", f"{sender.name} failed: {record.exception}")

    def _on_task_retry(
        self, sender: Any = None, request: Any = None, reason: Any = None, **kw: Any
    ) -> None:
        if self.context.ours(sender) and request is not None:
            self._stored(
                sender, str(request.id), "retry", f"{sender.name} will be retried ({reason})"
            )

    def _on_task_revoked(
        self, sender: Any = None, request: Any = None, expired: Any = False, **kw: Any
    ) -> None:
        if not self.context.ours(sender) or request is None:
            return
        why = "it expired while it waited" if expired else "it was revoked"
        thread = self.context.trace.thread_name()
        self.context.ledger.worker_released(worker_of(thread), str(request.id))
        self._stored(
            sender,
            str(request.id),
            "revoked",
            f"{thread} did not run {sender.name}: {why}",
        )

    def _on_task_rejected(self, sender: Any = None, message: Any = None, **kw: Any) -> None:
        if getattr(sender, "app", None) is self.context.app:
            task_id = (getattr(message, "headers", None) or {}).get("id")
            self.context.trace.record(
                "signal",
                "task_rejected",
                task_id=task_id,
                summary=f"{self.context.trace.thread_name()} rejected a message it cannot process",
            )

    def _on_task_unknown(
        self, sender: Any = None, name: Any = None, id: Any = None, **kw: Any
    ) -> None:
        if getattr(sender, "app", None) is self.context.app:
            self.context.trace.record(
                "signal",
                "task_unknown",
                task_id=None if id is None else str(id),
                summary=f"{self.context.trace.thread_name()} rejected the message: no task named "
                f"{name!r} is registered with it",
                data={"name": str(name)},
            )
