"""The private parts of Celery, kombu and textual-serve the tutor relies on still exist, and the
tutor reaches them only through `tutor.compat` (the one door)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor import compat
from tutor.compat import PRIVATE, Private

TUTOR = Path(__file__).resolve().parent.parent / "tutor"


def _check(entry: Private) -> str | None:
    """None when `entry` still exists with the right kind; otherwise what is wrong."""
    try:
        found = compat.resolve(entry)
    except (ImportError, AttributeError, FileNotFoundError) as exc:
        return f"vanished ({type(exc).__name__}: {exc})"
    if entry.kind in ("callable", "override") and not callable(found):
        return f"is no longer callable (it is {type(found).__name__})"
    if entry.kind == "class" and not isinstance(found, type):
        return f"is no longer a class (it is {type(found).__name__})"
    return None


@pytest.mark.parametrize("entry", PRIVATE, ids=lambda entry: entry.label)
def test_each_private_name_the_tutor_relies_on_still_exists(entry: Private):
    problem = _check(entry)
    assert problem is None, (
        f"{entry.label} ({entry.kind}) {problem}. The tutor uses it because: {entry.why}. "
        "Update tutor/compat.py (and what calls it) for the installed version."
    )


def test_the_check_fails_for_a_name_that_does_not_exist():
    for kind in ("callable", "attribute", "override", "class"):
        bogus = Private("celery._state", "_no_such_thing", kind, "a test")
        assert "vanished" in str(_check(bogus))
    assert _check(Private("celery._state", "_apps", "callable", "a test")) is not None
    assert _check(Private("celery._state", "set_default_app", "class", "a test")) is not None
    gone = Private("celery.utils.timer2", "Timer.no_such_thing", "instance attribute", "a test")
    assert "no longer sets" in str(_check(gone))
    assert "vanished" in str(_check(Private("textual_serve", "no/such.html", "file", "a test")))


def _allowed(entry: Private, line: str) -> bool:
    """A subclass may define a listed override, call it on itself and call the base's."""
    if entry.kind != "override":
        return False
    name = re.escape(entry.name)
    return bool(re.search(rf"\bdef\s+{name}\(|\bsuper\(\)\.{name}\(|\bself\.{name}\(", line))


def _direct_uses(entries: tuple[Private, ...], root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "compat.py" and path.parent == TUTOR:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            for entry in entries:
                pattern = entry.pattern
                if pattern and re.search(pattern, code) and not _allowed(entry, code):
                    where = path.relative_to(root.parent)
                    found.append(f"{where}:{number}: {entry.label} ({line.strip()})")
    return found


def test_no_module_of_the_tutor_uses_a_private_name_directly():
    found = _direct_uses(PRIVATE, TUTOR)
    assert not found, "use tutor.compat's accessors instead:\n" + "\n".join(found)


def test_the_door_check_finds_a_direct_use(tmp_path: Path):
    module = tmp_path / "tutor" / "sneaky.py"
    module.parent.mkdir()
    module.write_text(
        "from celery import _state\n"
        "from celery.result import _set_task_join_will_block\n"
        "def peek(channel):\n"
        "    return channel._qos._delivered, timer._next_entry()\n"
        "class Fine:\n"
        "    def _get(self, queue):\n"
        "        return super()._get(queue)\n"
        "def not_fine(channel):\n"
        "    return channel._get('celery')\n"
    )
    found = "\n".join(_direct_uses(PRIVATE, module.parent))
    for name in ("_state", "_set_task_join_will_block", "_qos", "_delivered", "_next_entry"):
        assert name in found
    assert "sneaky.py:9" in found and "sneaky.py:6" not in found and "sneaky.py:7" not in found
