"""The sample program a learner reads: split into its definitions and the calls the caller makes.

The code shown is the code that runs. Its leading imports, functions and classes are the
*definitions* (run once, before any worker starts, so the worker knows the tasks); every later
top-level statement is a *call* the caller (the main app) makes, one stop each.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from types import CodeType

from .errors import SampleError

_DEFINITION_NODES = (
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


@dataclass(frozen=True)
class Statement:
    """One top-level statement of the sample, compiled with its real line numbers."""

    line: int
    """First line of the statement in the sample (1-based)."""
    end_line: int
    """Last line of the statement."""
    source: str
    """The statement's text exactly as written."""
    code: CodeType
    """The compiled statement."""
    is_expression: bool
    """True when the statement is an expression whose value the caller gets back."""


@dataclass(frozen=True)
class SampleProgram:
    """A parsed sample: its definitions and its calls."""

    source: str
    definitions: CodeType
    definition_lines: tuple[int, int]
    calls: tuple[Statement, ...]

    @classmethod
    def parse(
        cls, source: str, filename: str = "<sample>", *, module: bool = False
    ) -> SampleProgram:
        """Parse `source`; a syntax error is reported as SampleError naming the line.

        With `module`, `source` is a developer's module as it is (`tutor trace`): all of it is
        definitions, and the calls are the statements of its `if __name__ == "__main__":` block.
        """
        try:
            tree = ast.parse(source, filename=filename)
        except SyntaxError as exc:
            raise SampleError(f"{filename}: line {exc.lineno}: {exc.msg}") from None
        body = list(tree.body)
        if module:
            guards = [node for node in body if main_guard(node)]
            body = [node for node in body if not main_guard(node)]
            split = len(body)
            body += [call for guard in guards[-1:] for call in guard.body]  # type: ignore[attr-defined]
        else:
            split = 0
            for index, node in enumerate(body):
                if isinstance(node, _DEFINITION_NODES):
                    split = index + 1
        definitions = ast.Module(body=body[:split], type_ignores=[])
        lines = source.splitlines()
        calls = []
        for node in body[split:]:
            end = node.end_lineno or node.lineno
            text = textwrap.dedent("\n".join(lines[node.lineno - 1 : end]))
            if isinstance(node, ast.Expr):
                code = compile(ast.Expression(body=node.value), filename, "eval")
                is_expression = True
            else:
                code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
                is_expression = False
            calls.append(Statement(node.lineno, end, text, code, is_expression))
        first = body[0].lineno if split else 0
        last = (body[split - 1].end_lineno or body[split - 1].lineno) if split else 0
        return cls(
            source=source,
            definitions=compile(definitions, filename, "exec"),
            definition_lines=(first, last),
            calls=tuple(calls),
        )


def main_guard(node: ast.stmt) -> bool:
    """Whether `node` is `if __name__ == "__main__":` (either way round)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    main = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(main) == 1
