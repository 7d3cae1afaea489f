"""What `tutor trace` runs: a developer's file as it is, with the calls to make (no Celery here).

The calls come from `--call` expressions (they replace the file's `if __name__ == "__main__":`
block, appended as a new one at the end) or from that block itself. The file's own lines keep
their numbers, so a traceback names the line the developer sees in their editor.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..defaults import EXIT_FAILED, EXIT_USAGE
from ..engine.sample import main_guard

MAIN_LINE = 'if __name__ == "__main__":'


class TraceInputError(Exception):
    """Input `tutor trace` cannot play: one line for the user, and the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TraceSource:
    """The traced file and the code that runs: the file, then the calls."""

    path: Path
    """The developer's file (absolute)."""
    code: str
    """What runs: the file's text with its calls in an `if __name__ == "__main__":` block."""
    calls: tuple[str, ...]
    """The calls, as written."""
    from_option: bool
    """True when the calls came from --call (else from the file's own main block)."""

    @property
    def lesson_id(self) -> str:
        """The id of the trace as a lesson: "trace-" and the file's name in lesson-id letters."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.path.stem.lower()).strip("-") or "file"
        return f"trace-{slug}"


def read_source(file: str, calls: Sequence[str]) -> TraceSource:
    """Read `file` and prepare what runs; bad input raises TraceInputError (one line)."""
    path = Path(file)
    if not path.is_file():
        raise TraceInputError(f"{file}: no such file", EXIT_USAGE)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TraceInputError(f"{file}: cannot be read ({exc})") from None
    try:
        tree = ast.parse(text, filename=file)
    except SyntaxError as exc:
        raise TraceInputError(f"{file}: line {exc.lineno}: {exc.msg}") from None
    except ValueError as exc:  # NUL bytes
        raise TraceInputError(f"{file}: cannot be parsed ({exc})") from None
    guards = [node for node in tree.body if main_guard(node)]
    if calls:
        for call in calls:
            _check_call(call)
        code = _without(text, guards) + _main_block(calls)
        return TraceSource(path.resolve(), code, tuple(calls), True)
    if not guards:
        raise TraceInputError(
            f"{file} has no {MAIN_LINE} block: say what to call, e.g. --call 'add.delay(2, 3)'",
            EXIT_USAGE,
        )
    lines = text.splitlines()
    guard = guards[-1]
    starts = _starts_a_worker(tree, guard)
    if starts is not None:
        raise TraceInputError(
            f"{file}: its {MAIN_LINE} block starts a Celery worker (line {starts.lineno}: "
            f"{ast.unparse(starts)}); the tutor runs the workers itself: say what to call, "
            "e.g. --call 'add.delay(2, 3)'",
            EXIT_USAGE,
        )
    found = tuple(
        textwrap.dedent("\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno]))
        for node in guard.body  # type: ignore[attr-defined]
    )
    return TraceSource(path.resolve(), text, found, False)


def _starts_a_worker(tree: ast.Module, guard: ast.stmt) -> ast.Call | None:
    """The call in `guard` that starts a worker or Celery's command line (`app.worker_main()`,
    `app.start()` on an app the module creates), if any."""
    apps = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", getattr(node.value.func, "attr", "")) == "Celery"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(guard):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr == "worker_main" or (
                node.func.attr == "start" and isinstance(owner, ast.Name) and owner.id in apps
            ):
                return node
    return None


def _check_call(call: str) -> None:
    if not call.strip():
        raise TraceInputError(
            "--call '': give a statement, e.g. --call 'add.delay(2, 3)'", EXIT_USAGE
        )
    try:
        tree = ast.parse(textwrap.dedent(call), filename="--call")
    except SyntaxError as exc:
        raise TraceInputError(f"--call {call!r}: {exc.msg}", EXIT_USAGE) from None
    except ValueError as exc:
        raise TraceInputError(f"--call {call!r}: cannot be parsed ({exc})", EXIT_USAGE) from None
    if not tree.body:
        raise TraceInputError(f"--call {call!r}: holds no statement", EXIT_USAGE)


def _without(text: str, guards: list[ast.stmt]) -> str:
    """`text` without its main blocks: blank lines in their place, so no line number moves."""
    lines = text.splitlines()
    for guard in guards:
        for index in range(guard.lineno - 1, guard.end_lineno or guard.lineno):
            lines[index] = ""
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


def _main_block(calls: Sequence[str]) -> str:
    body = "\n".join(textwrap.indent(textwrap.dedent(call).strip(), "    ") for call in calls)
    return f"\n\n{MAIN_LINE}\n{body}\n"


def unknown_name(error: str | None) -> str | None:
    """The name a call's NameError names ("name 'nope' is not defined" → "nope"), else None."""
    found = re.match(r"NameError: name '([^']+)' is not defined", error or "")
    return found.group(1) if found else None
