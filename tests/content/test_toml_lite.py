"""The first screen's TOML reader answers exactly what tomllib answers, or not at all."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from tutor.content.errors import content_root
from tutor.content.summary import SUMMARY_KEYS, read_summaries
from tutor.content.toml_lite import leading_keys, loads_simple

SHIPPED = sorted(content_root().glob("*/*.toml"))

KNOWN = [
    'a = "x"',
    "a = 'it is'  # a comment",
    'a = ""',
    "a = true\nb = false",
    "n = 0\nm = -12\np = +7",
    'order = ["delay", "retry",]  # trailing comma',
    "order = []",
    "order = [ 'a' , \"b\" ]",
    "# only a comment\n\n  \n",
    'x = 1\n[[chapters]]\ntitle = "A"\nlessons = ["a"]\n[[chapters]] # two\ntitle = "B"',
    'key_with-dash = "é ✔ unicode"\r\nother = 1\r\n',
    'a="tight"#comment',
]

UNKNOWN = [
    'a = "esc\\"aped"',  # an escape
    'a = """multi"""',
    "a = '''x'''",
    'a = "x" "y"',
    "a.b = 1",
    '"quoted" = 1',
    "a = 1.5",
    "a = 0x10",
    "a = 01",
    "a = 1_000",
    "a = 2026-11-29",
    "a = [1, 2]",
    'a = ["x", ["y"]]',
    "a = [\n'x']",
    "a = { b = 1 }",
    "[table]\na = 1",
    "[[a.b]]",
    "[[chapters",
    "[[x] ]",
    "a = 1\na = 2",
    "chapters = 1\n[[chapters]]",
    "a = 'tab\tinside'",
    "a = 1 # control \x01",
    "a = 'x' junk",
    "a =",
    "= 1",
    "a = [,]",
    "a = ['x' 'y']",
    'a = "nul\x00"',
    "a = 'x'\rb = 1",
    "a = 1\r",  # a CR not before a newline
    "[[steps]]\r",
]


@pytest.mark.parametrize("text", KNOWN)
def test_what_it_reads_is_what_tomllib_reads(text):
    assert loads_simple(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", UNKNOWN)
def test_anything_else_is_left_to_tomllib(text):
    assert loads_simple(text) is None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_shipped_file_reads_the_same_or_falls_back(path: Path):
    text = path.read_text(encoding="utf-8")
    whole = tomllib.loads(text)
    simple = loads_simple(text)
    assert simple is None or simple == whole
    first = leading_keys(text)
    assert first.items() <= whole.items()


def test_every_shipped_lesson_lists_from_its_first_lines():
    """The lesson list reads each lesson's first lines only: every lesson starts with what the
    list shows, and the list is what a full parse gives."""
    for summary in read_summaries():
        text = (content_root() / "lessons" / f"{summary.id}.toml").read_text(encoding="utf-8")
        first = leading_keys(text)
        assert set(SUMMARY_KEYS) <= first.keys(), summary.id
        whole = tomllib.loads(text)
        assert (summary.title, summary.level, summary.duration) == (
            whole["title"],
            whole["level"],
            whole["duration"],
        )
    index = (content_root() / "lessons" / "index.toml").read_text(encoding="utf-8")
    assert loads_simple(index) == tomllib.loads(index)  # the index needs no tomllib either


def test_mangled_lines_are_never_read_wrongly():
    """Lines of the shipped files with characters dropped, doubled or swapped: whenever the
    reader answers, tomllib parses the same text to the same data."""
    lines = [line for path in SHIPPED for line in path.read_text(encoding="utf-8").splitlines()]
    pieces = ['"', "'", "#", "=", "[", "]", ",", "\\", " ", "\t", "0", "x", ".", "\x7f"]
    chance = random.Random(17)
    answered = 0
    for _ in range(3000):
        line = list(chance.choice(lines)[:80])
        for _ in range(chance.randint(1, 3)):
            at = chance.randrange(len(line) + 1)
            action = chance.randrange(3)
            if action == 0 and line:
                del line[min(at, len(line) - 1)]
            elif action == 1:
                line.insert(at, chance.choice(pieces))
            elif line:
                line[min(at, len(line) - 1)] = chance.choice(pieces)
        text = "".join(line)
        simple = loads_simple(text)
        if simple is None:
            continue
        answered += 1
        assert simple == tomllib.loads(text), repr(text)
    assert answered > 300  # the reader was really tried, not refusing everything
