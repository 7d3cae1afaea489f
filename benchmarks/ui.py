"""UI benchmarks: launch to first paint in a real terminal (tmux), and keypress to the real row."""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from benchmarks.engine import Result
from benchmarks.first_paint import BARE_APP

FIRST_PAINT = Path(__file__).with_name("first_paint.py")


BARE_HOME = """
from rich.text import Text
from textual.app import App
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
class BareHome(App):
    def compose(self):
        yield Header()
        yield Static("BARE-HOME-READY")
        yield OptionList(*(
            Option(Text(f"  Lesson {i}\\n    lesson-{i} · beginner · 10 mins · new"), id=f"l{i}")
            for i in range(30)
        ))
        yield Footer()
BareHome().run()
"""
"""A bare Textual app with the widgets of the tutor's first screen (a header, a 30-line option
list, a footer): how much of the tutor's launch the first screen's widgets cost by themselves."""


def _time_to_text(command: list[str], marker: str, timeout: float = 20.0) -> float:
    """Seconds from starting `command` in a 120x35 tmux pane until `marker` is on screen."""
    session = f"bench-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "35", *command],
        check=True,
    )
    try:
        while time.perf_counter() - started < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if marker in screen:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError(f"{marker!r} never appeared")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def compile_tutor() -> None:
    """Write the tutor's bytecode, as `pip install` does (Textual's is in site-packages already):
    a checkout installed editable, with PYTHONDONTWRITEBYTECODE set, would otherwise compile
    every module from source at each launch, which no installed tutor does."""
    import compileall

    import tutor

    compileall.compile_dir(Path(tutor.__file__).parent, quiet=1)


def launch_to_first_paint(repeats: int) -> list[Result]:
    """`tutor` to its first painted screen vs a bare Textual app, both in tmux; and a bare app
    with the same widgets as the tutor's first screen, vs the same bare app."""
    if shutil.which("tmux") is None:
        print("tmux is not installed: launch benchmark skipped", file=sys.stderr)
        return []
    compile_tutor()
    tutor = [sys.executable, "-m", "tutor.cli"]
    bare = [sys.executable, "-c", BARE_APP]
    tutor_times, bare_times, home_times = [], [], []
    # one idle session keeps the tmux server up between launches (a dying server refuses them)
    anchor = f"bench-anchor-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "new-session", "-d", "-s", anchor, "sleep 600"], check=True)
    try:
        for _ in range(repeats):  # interleaved, so both see the same machine load
            bare_times.append(_time_to_text(bare, "BARE-READY") * 1000)
            tutor_times.append(_time_to_text(tutor, "Choose a lesson") * 1000)
            home = [sys.executable, "-c", BARE_HOME]
            home_times.append(_time_to_text(home, "BARE-HOME-READY") * 1000)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", anchor], capture_output=True)
    value, baseline = statistics.median(tutor_times), statistics.median(bare_times)
    widgets = statistics.median(home_times)
    return [
        Result(
            "launch → first painted screen",
            value,
            baseline,
            "a bare Textual app",
            "ratio ≤ 1.10",
            "ms",
            value / baseline <= 1.10,
        ),
        Result(
            "launch: its widgets alone",
            widgets,
            baseline,
            "a bare Textual app",
            "numbers (a bare app with the home screen's widgets)",
            "ms",
            True,
        ),
    ]


def launch_instructions() -> list[Result]:
    """Instructions from starting `tutor`, and a bare Textual app, to the first frame on screen
    (valgrind, in a 120x35 pseudo-terminal): the launch ratio without the machine's noise."""
    if shutil.which("valgrind") is None or shutil.which("script") is None:
        print("valgrind is not installed: launch instruction count skipped", file=sys.stderr)
        return []
    compile_tutor()
    counts = {}
    for which in ("bare", "tutor"):
        command = (
            "stty cols 120 rows 35; valgrind --tool=callgrind --callgrind-out-file=/dev/null "
            f"{sys.executable} {FIRST_PAINT} {which}"
        )
        shown = subprocess.run(
            ["script", "-qec", command, "/dev/null"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        ).stdout
        found = re.search(r"Collected : (\d+)", shown)
        if found is None:
            print(f"valgrind gave no count for {which}: skipped", file=sys.stderr)
            return []
        counts[which] = int(found[1]) / 1e6
    return [
        Result(
            "launch: instructions to first paint",
            counts["tutor"],
            counts["bare"],
            "a bare Textual app",
            "numbers (valgrind: the ratio above without the noise)",
            "M",
            True,
        )
    ]


async def _keypress_costs(repeats: int) -> tuple[list[float], list[float]]:
    """Time from posting a key to the end of the screen update that paints its effect.

    The mark is set by the screen's own update (layout and compositor) that runs after the
    lesson's panels were handed the new stop, so the time includes the real repaint.
    """
    from textual.screen import Screen
    from textual.widgets import Static

    from tests.ui.conftest import make_app, ready
    from tutor.ui.screens.lesson import LessonScreen
    from tutor.ui.widgets.frame import Frame

    painted: list[float] = []
    armed: list[bool] = []

    def arm() -> None:
        armed.append(True)

    original_frame_changed = LessonScreen._frame_changed
    original_timer_update = Screen._on_timer_update

    def frame_changed(screen: LessonScreen, frame: Frame) -> None:
        original_frame_changed(screen, frame)
        if not frame.busy:  # the stop the run moved to, not the "moving…" line
            arm()

    def timer_update(screen: Screen[object]) -> None:
        original_timer_update(screen)
        if armed:
            armed.clear()
            painted.append(time.perf_counter())

    def one_line_key(screen: LessonScreen) -> None:  # a key that repaints one line of text
        screen.query_one("#status", Static).update(f"key at {time.perf_counter()}")
        arm()

    LessonScreen._frame_changed = frame_changed  # type: ignore[method-assign]
    Screen._on_timer_update = timer_update  # type: ignore[method-assign]
    LessonScreen.action_one_line_key = one_line_key  # type: ignore[attr-defined]
    real, idle = [], []
    try:
        for _ in range(repeats):
            app = make_app(lesson_id="delay")
            async with app.run_test(size=(120, 35)) as pilot:
                screen = await ready(pilot)
                screen.quiz = None  # measure the stage itself: no prediction pop-ups
                screen._bindings.bind("x", "one_line_key")
                for _ in range(8):
                    for key, samples in (("x", idle), ("right", real)):
                        painted.clear()
                        armed.clear()
                        started = time.perf_counter()
                        await pilot.press(key)
                        deadline = time.perf_counter() + 30
                        while not painted:
                            if time.perf_counter() > deadline:
                                raise RuntimeError(f"key {key!r} never led to a repaint")
                            await asyncio.sleep(0.0005)
                        samples.append((painted[0] - started) * 1000)
    finally:
        LessonScreen._frame_changed = original_frame_changed  # type: ignore[method-assign]
        Screen._on_timer_update = original_timer_update  # type: ignore[method-assign]
        del LessonScreen.action_one_line_key  # type: ignore[attr-defined]
    return real, idle


def keypress_to_row(repeats: int) -> Result:
    """→ until the real run's next stage is painted, vs a key that repaints one line."""
    real, idle = asyncio.run(_keypress_costs(repeats))
    value, baseline = statistics.median(real), statistics.median(idle)
    return Result(
        "keypress → real stage on screen",
        value,
        baseline,
        "a key that repaints one line",
        f"≤ 30 ms beyond baseline (is {value - baseline:+.1f} ms)",
        "ms",
        value - baseline <= 30,
    )


async def _idle_cpu(seconds: float) -> tuple[float, float]:
    """CPU ms per second of a process showing an open lesson (its real run's workers waiting for
    the learner), and of one showing a bare Textual app: both in Pilot, both left alone."""
    from textual.app import App
    from textual.widgets import Static

    from tests.ui.conftest import make_app, ready

    class Bare(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("BARE-READY")

    async def idle(pilot: object) -> float:
        await asyncio.sleep(0.5)  # what the last key started has settled
        started = time.process_time()
        await asyncio.sleep(seconds)
        return (time.process_time() - started) * 1000 / seconds

    app = make_app(lesson_id="workers")  # two worker threads consuming
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        screen.quiz = None  # no prediction pop-ups
        await pilot.press("right", "right")
        lesson = await idle(pilot)
    async with Bare().run_test(size=(120, 35)) as pilot:
        bare = await idle(pilot)
    return lesson, bare


def idle_cpu(seconds: float) -> Result:
    """What an open lesson costs the learner's machine while they read: CPU time per second."""
    lesson, bare = asyncio.run(_idle_cpu(seconds))
    return Result(
        "idle lesson: CPU per second",
        lesson,
        bare,
        "a bare Textual app, idle",
        f"≤ 10 ms/s (is {lesson:.1f})",
        "ms",
        lesson <= 10,
    )
