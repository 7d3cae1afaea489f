"""The lesson navigator without Textual: what each key means, against a real run of `delay`."""

from __future__ import annotations

import pytest

from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.player.navigator import LessonNavigator, Move

DELAY = load_course().lesson("delay")


@pytest.fixture
def lesson_run():
    with LessonRun(DELAY) as run:
        run.start()
        yield run


def answer(navigator: LessonNavigator, move: Move) -> Move:
    """Do what the screens do with ADVANCE: move the real run on, then tell the navigator."""
    if move is Move.ADVANCE:
        assert navigator.lesson_run is not None
        navigator.begin_advance()
        navigator.lesson_run.advance_stop()
        navigator.reached()
    return move


def forward(navigator: LessonNavigator) -> Move:
    return answer(navigator, navigator.forward())


def test_nothing_moves_before_a_run_is_attached():
    navigator = LessonNavigator()
    assert navigator.forward() is Move.NONE
    assert navigator.go_to_step(2) is Move.NONE
    assert not navigator.back()
    assert navigator.view.snapshot is None and navigator.view.steps_shown == 0


def test_forward_at_the_live_end_asks_the_run_to_move_and_busy_blocks_another_key(lesson_run):
    navigator = LessonNavigator()
    navigator.attach(lesson_run)
    assert navigator.forward() is Move.ADVANCE
    navigator.begin_advance()
    assert navigator.forward() is Move.NONE  # a second key while the run moves does nothing
    lesson_run.advance_stop()
    assert navigator.reached() == 1  # defining the task is step 1: saved once
    assert navigator.view.snapshot.stage is Stage.DEFINED
    assert navigator.view.current_row == 1


def test_back_and_forward_replay_recorded_stops_without_touching_the_run(lesson_run):
    navigator = LessonNavigator()
    navigator.attach(lesson_run)
    for _ in range(3):
        forward(navigator)
    stops = len(lesson_run.stops)
    assert navigator.back() and navigator.back()
    assert navigator.view.snapshot.stage is Stage.DEFINED and not navigator.view.at_live_end
    assert forward(navigator) is Move.SHOWN
    assert forward(navigator) is Move.SHOWN
    assert len(lesson_run.stops) == stops and navigator.view.at_live_end
    assert forward(navigator) is Move.ADVANCE
    assert len(lesson_run.stops) == stops + 1


def test_a_jump_ahead_keeps_moving_until_its_step_then_shows_that_steps_stop(lesson_run):
    navigator = LessonNavigator()
    navigator.attach(lesson_run)
    move = answer(navigator, navigator.go_to_step(4))
    while move is not Move.SHOWN:
        move = answer(navigator, navigator.toward_target())
    assert navigator.target_step is None
    assert navigator.view.steps_shown == 4
    assert navigator.view.snapshot.stage is Stage.RETURNED
    # a step already reached is shown at once, from the record
    assert navigator.go_to_step(2) is Move.SHOWN
    assert navigator.view.snapshot.stage is Stage.QUEUED and navigator.view.current_row == 2


def test_the_end_of_the_run_is_said_once_the_last_stop_is_shown(lesson_run):
    navigator = LessonNavigator()
    navigator.attach(lesson_run)
    while forward(navigator) is not Move.END:
        pass
    assert lesson_run.finished and navigator.view.snapshot.stage is Stage.FINISHED
    assert navigator.view.steps_shown == len(DELAY.steps)


def test_resume_is_offered_once_and_detach_forgets_the_run(lesson_run):
    navigator = LessonNavigator(resume_step=3)
    assert navigator.attach(lesson_run) == 3
    assert navigator.attach(lesson_run) == 0
    forward(navigator)
    assert navigator.detach() is lesson_run
    assert navigator.view.lesson_run is None and navigator.position == -1
