"""The simplest TOML, read without `tomllib`: what the first screen needs (a lesson file's
head, the course index) costs a fraction of importing and running the full parser.

It reads only lines of `key = value` with a bare key and a one-line value (a string without
escapes, true or false, a decimal integer, or a one-line array of such strings), `[[name]]`
headers, comments and blank lines. Anything else (an escape, a dotted or quoted key, a `[table]`,
a value over several lines, a key given twice) makes `loads_simple` answer None, and the caller
parses the text with `tomllib`, which also names any mistake; `leading_keys` reads a file's first
lines up to the first it does not know (a lesson's id and title come first). Where they answer,
the answer is what `tomllib.loads` returns (a test holds them to that on every shipped file and
on edge cases).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["leading_keys", "loads_simple"]

UNKNOWN = object()
"""What a line or a value this reader does not know reads as."""
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _bare_key(text: str) -> bool:
    return bool(text) and not set(text) - _KEY_CHARS


def _string(text: str) -> tuple[str, str] | None:
    """(the string at the start of `text`, what follows it); None unless it is a one-line
    string without escapes or control characters."""
    quote = text[:1]
    if quote not in ("'", '"'):
        return None
    end = text.find(quote, 1)
    inner = text[1:end]
    if end < 0 or not inner.isprintable() or (quote == '"' and "\\" in inner):
        return None
    return inner, text[end + 1 :].lstrip(" \t")


def _rest_is_comment(rest: str) -> bool:
    return not rest or (rest[0] == "#" and rest.isprintable())


def _value(text: str) -> Any:
    """The value a line gives after its `=`, comment included; UNKNOWN unless simple."""
    string = _string(text)
    if string is not None:
        return string[0] if _rest_is_comment(string[1]) else UNKNOWN
    word, _, rest = text.partition("#")
    word = word.rstrip(" \t")
    if rest and not rest.isprintable():
        return UNKNOWN
    if word in ("true", "false"):
        return word == "true"
    digits = word.lstrip("+-")
    if len(word) - len(digits) <= 1 and digits.isdigit() and digits.isascii():
        return int(word) if digits == "0" or digits[0] != "0" else UNKNOWN
    if text[:1] == "[":
        return _array(text[1:].lstrip(" \t"))
    return UNKNOWN


def _array(text: str) -> Any:
    """A one-line array of strings, after its `[`; UNKNOWN otherwise."""
    items: list[str] = []
    while True:
        if text[:1] == "]":
            return items if _rest_is_comment(text[1:].lstrip(" \t")) else UNKNOWN
        string = _string(text)
        if string is None:
            return UNKNOWN
        items.append(string[0])
        text = string[1]
        if text[:1] == ",":
            text = text[1:].lstrip(" \t")
        elif text[:1] != "]":
            return UNKNOWN


def _line(line: str) -> tuple[str, str, Any] | None:
    """("key", key, value) of a `key = value` line, ("table", name, None) of a `[[name]]`
    header, ("blank", "", None) of a blank or comment line; None for any other line."""
    text = line.strip(" \t")
    if not text or text[0] == "#":
        return ("blank", "", None) if text.isprintable() else None
    if text.startswith("[["):
        name, closed, rest = text[2:].partition("]]")
        name = name.strip(" \t")
        if closed and _bare_key(name) and _rest_is_comment(rest.lstrip(" \t")):
            return ("table", name, None)
        return None
    key, equals, value = text.partition("=")
    key = key.rstrip(" \t")
    if not equals or not _bare_key(key):
        return None
    parsed = _value(value.lstrip(" \t"))
    return None if parsed is UNKNOWN else ("key", key, parsed)


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time, a CR before each newline dropped (a CR anywhere else
    stays, and makes its line one this reader does not know)."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end].removesuffix("\r")
        start = end + 1
    yield text[start:]


def leading_keys(text: str) -> dict[str, Any]:
    """The top-level `key = value` lines at the start of `text`, up to the first line of any
    other kind (a header, a value over several lines...) or a key given twice."""
    data: dict[str, Any] = {}
    for line in _lines(text):
        found = _line(line)
        if found is None or found[0] == "table" or found[1] in data:
            break
        kind, key, value = found
        if kind == "key":
            data[key] = value
    return data


def loads_simple(text: str) -> dict[str, Any] | None:
    """The data of `text` when it is TOML this reader knows (see the module), else None."""
    data: dict[str, Any] = {}
    table = data
    arrays: set[str] = set()
    """The names of the `[[name]]` headers seen (a key of that name is then a mistake)."""
    for line in _lines(text):
        found = _line(line)
        if found is None:
            return None
        kind, name, value = found
        if kind == "key":
            if name in table:
                return None
            table[name] = value
        elif kind == "table":
            if name in data and name not in arrays:
                return None
            arrays.add(name)
            table = {}
            data.setdefault(name, []).append(table)
    return data
