"""Broken samples against the real engine: one clear line each, never a traceback or a hang."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from tests.conftest import ADD_SAMPLE, live_threads_beyond
from tutor.engine import Run, RunClosed, RunConfig, RunStalled, SampleError, Stage
from tutor.engine.config import STAGE_TIMEOUT_ENV

HEAD = "from celery import shared_task\n\n@shared_task\ndef add(x, y):\n"


def body(*lines: str, calls: str = "add.delay(4, 6)\n") -> str:
    """A sample whose task `add` has the given body lines (line 5 is the body's first line)."""
    return HEAD + "".join(f"    {line}\n" for line in lines) + "\n" + calls


def start(code: str, **config: object) -> Run:
    return Run.start(RunConfig(code=code, filename="<lesson x>", **config))  # type: ignore[arg-type]


# ---------------------------------------------------------------- definitions
@pytest.mark.parametrize(
    ("definitions", "said"),
    [
        ("import nope\n", "line 3 raised ModuleNotFoundError: No module named 'nope'"),
        ("x = missing\n", "line 3 raised NameError: name 'missing' is not defined"),
        ("import sys\nsys.exit(0)\n", "line 4 raised SystemExit: 0"),
        ("raise SystemExit\n", "line 3 raised SystemExit"),
        ("raise KeyboardInterrupt\n", "line 3 raised KeyboardInterrupt"),
    ],
)
def test_definitions_that_raise_are_one_line_naming_the_sample_line(definitions, said):
    code = "from celery import shared_task\n\n" + definitions + "\n@shared_task\ndef add(x, y):\n"
    code += "    return x + y\n\nadd.delay(1, 2)\n"
    with pytest.raises(SampleError) as caught:
        start(code)
    assert str(caught.value) == f"<lesson x>: {said}"
    assert caught.value.line == int(said.split()[1])
    assert caught.value.error == said.split(" raised ", 1)[1]


def test_a_sample_with_no_task_says_so():
    with pytest.raises(SampleError) as caught:
        start("def add(x, y):\n    return x + y\n\nadd(1, 2)\n")
    assert str(caught.value) == (
        "<lesson x>: the sample defines no task "
        "(decorate a function with @shared_task or @app.task)"
    )


# ---------------------------------------------------------------- calls and task bodies
def test_systemexit_in_a_call_is_recorded_and_ends_the_main_app(start_run):
    run = start_run(ADD_SAMPLE + "__import__('sys').exit(3)\nadd.delay(1, 1)\n")
    final = run.run_to_end()[-1]
    assert [(c.line, c.error) for c in final.calls] == [(7, None), (8, "SystemExit: 3")]
    assert final.caller_done and len(final.tasks) == 1


def test_keyboardinterrupt_in_a_call_is_recorded(start_run):
    run = start_run(ADD_SAMPLE + "raise KeyboardInterrupt\n")
    final = run.run_to_end()[-1]
    assert final.calls[-1].error == "KeyboardInterrupt"


@pytest.mark.parametrize(
    ("raised", "said"),
    [("raise SystemExit(3)", "SystemExit: 3"), ("raise KeyboardInterrupt", "KeyboardInterrupt")],
)
def test_systemexit_in_a_task_body_is_the_task_failure_and_the_worker_lives_on(
    raised, said, start_run
):
    run = start_run(body(raised, calls="add.delay(1, 2)\nadd.delay(3, 4)\n"))
    final = run.run_to_end()[-1]
    assert [t.state for t in final.tasks] == ["FAILURE", "FAILURE"]
    assert final.tasks[0].exception == (
        f"TaskBodyExit: the task body raised {said} (in a worker process it would end the process)"
    )
    assert [w.status for w in final.workers] == ["idle"]


def test_input_in_the_sample_reads_an_empty_stdin_and_raises_eoferror(start_run):
    run = start_run(ADD_SAMPLE + "name = input('name? ')\nrest = __import__('sys').stdin.read()\n")
    final = run.run_to_end()[-1]
    assert final.calls[1].error == "EOFError: EOF when reading a line"
    assert final.caller_variables["rest"] == ""


def test_stdin_stays_the_terminals_for_other_threads_and_is_restored(start_run):
    before = sys.stdin
    run = start_run(ADD_SAMPLE + "fd = __import__('sys').stdin.fileno\n")
    assert sys.stdin is not before
    assert sys.stdin.isatty() == before.isatty()  # this thread is not the run's
    assert "EmptyStdin" in run.run_to_end()[-1].caller_variables["fd"]
    run.close()
    assert sys.stdin is before and sys.__stdin__ is not None


def test_definitions_reading_stdin_raise_eoferror():
    with pytest.raises(SampleError, match=r"line 3 raised EOFError: EOF when reading a line"):
        start(HEAD.replace("\n\n@", "\n\ninput()\n@") + "    return 1\n")


# ---------------------------------------------------------------- the stage time limit
def test_a_task_body_that_runs_too_long_stalls_naming_the_task_and_its_line():
    run = start(body("import time", "time.sleep(30)", "return x + y"), stage_timeout=0.3)
    try:
        run.advance_to(Stage.EXECUTING)
        with pytest.raises(RunStalled) as caught:
            run.advance()
        assert str(caught.value) == (
            "<lesson x>: the task body of tasks.add (line 6) ran past the 0.3 s limit for one "
            "stage (after stage 'executing')"
        )
        assert (caught.value.line, caught.value.task_name) == (6, "tasks.add")
    finally:
        run.close()


def test_a_caller_line_that_blocks_stalls_naming_the_line():
    code = ADD_SAMPLE + "__import__('threading').Event().wait()\n"
    run = start(code, stage_timeout=0.3)
    try:
        run.advance_to(Stage.CALLING)
        with pytest.raises(RunStalled, match=r"^<lesson x>: line 8 \(the main app\) ran past "):
            run.run_to_end()
    finally:
        run.close()


@pytest.mark.parametrize(
    ("stuck", "line"), [("while True:\n    pass\n", 3), ("import time\ntime.sleep(1)\n", 4)]
)
def test_definitions_that_never_end_stall_and_the_next_run_starts(stuck, line):
    code = "from celery import shared_task\n\n" + stuck + "\n@shared_task\ndef add(x, y):\n"
    with pytest.raises(RunStalled) as caught:
        start(code + "    return 1\n\nadd.delay(1, 2)\n", stage_timeout=0.2)
    assert str(caught.value) == (
        f"<lesson x>: line {line} (the sample's definitions) ran past the 0.2 s limit for one stage"
    )
    with start(ADD_SAMPLE) as run:
        assert run.run_to_end()[-1].task.return_value == 10


def test_a_task_body_called_directly_that_never_returns_names_the_calling_line():
    run = start(body("while True:", "    pass", calls="add(1, 2)\n"), stage_timeout=0.2)
    try:
        run.advance_to(Stage.EXECUTING)
        with pytest.raises(RunStalled) as caught:
            run.advance()
        assert str(caught.value).startswith(
            "<lesson x>: the task body of tasks.add (line 5), called directly by line 8 of the "
            "main app ran past"
        )
    finally:
        run.close()


def test_close_returns_at_once_while_a_countdown_body_loops_in_the_timer(thread_baseline):
    run = start(body("while True:", "    pass", calls="add.apply_async((1, 2), countdown=0.05)\n"))
    executing = run.advance_to(Stage.EXECUTING)
    assert executing.stop.thread == "worker-1-timer"
    with pytest.raises(RunStalled, match=r"the task body of tasks\.add"):
        run.conductor.advance(0.2)
    began = time.monotonic()
    run.close()
    assert time.monotonic() - began < 2.0
    assert set(live_threads_beyond(thread_baseline)) <= {"worker-1-timer"}
    deadline = time.monotonic() + 2  # the loop ends at its next bytecode
    while live_threads_beyond(thread_baseline) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert live_threads_beyond(thread_baseline) == []


def test_the_stage_timeout_default_comes_from_the_environment(monkeypatch):
    assert RunConfig(code="").stage_timeout == 10.0
    monkeypatch.setenv(STAGE_TIMEOUT_ENV, "2.5")
    assert RunConfig(code="").stage_timeout == 2.5 == RunConfig(code="").advance_timeout
    monkeypatch.setenv(STAGE_TIMEOUT_ENV, "soon")
    assert RunConfig(code="").stage_timeout == 10.0


# ---------------------------------------------------------------- the message cap
def test_a_loop_of_delays_is_stopped_at_the_message_limit(start_run):
    run = start_run(ADD_SAMPLE + "for i in range(1000):\n    add.delay(i, i)\n", max_messages=20)
    with pytest.raises(SampleError) as caught:
        run.run_to_end()
    assert str(caught.value) == (
        "<sample>: the sample published more than 20 messages (the limit per run) "
        "(line 9 was publishing)"
    )
    assert caught.value.line == 9
    with pytest.raises(SampleError):
        run.advance()


# ---------------------------------------------------------------- closing at any moment
@pytest.mark.parametrize(
    "stuck",
    [("while True:", "    pass"), ("import time", "time.sleep(2.5)"), ("import threading",)],
    ids=["loop", "sleep", "wait"],
)
def test_close_returns_at_once_while_a_task_body_never_returns(stuck, thread_baseline):
    lines = (*stuck, "threading.Event().wait(2.5)") if stuck[0] == "import threading" else stuck
    run = start(body(*lines, "return x + y"), stage_timeout=0.2)
    run.advance_to(Stage.EXECUTING)
    with pytest.raises(RunStalled):
        run.advance()
    began = time.monotonic()
    run.close()
    assert time.monotonic() - began < 2.0  # a hang guard; it returns in milliseconds
    assert set(live_threads_beyond(thread_baseline)) <= {"worker-1"}
    [cut] = [e for e in run.trace.events() if e.name == "cut-off"]
    assert cut.summary.startswith("the run was closed while the task body of tasks.add (line ")
    deadline = time.monotonic() + 5  # a loop ends at once; a sleep or wait when it returns
    while live_threads_beyond(thread_baseline) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert live_threads_beyond(thread_baseline) == []


def test_close_returns_at_once_while_the_caller_blocks(thread_baseline):
    run = start(ADD_SAMPLE + "__import__('time').sleep(2)\n", stage_timeout=0.2)
    with pytest.raises(RunStalled):
        run.run_to_end()
    began = time.monotonic()
    run.close()
    assert time.monotonic() - began < 2.0
    assert set(live_threads_beyond(thread_baseline)) <= {"main-app"}


def test_advance_waiting_in_another_thread_ends_with_runclosed_when_the_run_closes():
    run = start(body("while True:", "    pass"), stage_timeout=30)
    run.advance_to(Stage.EXECUTING)
    raised: list[BaseException] = []

    def advance() -> None:
        try:
            run.advance()
        except BaseException as exc:
            raised.append(exc)

    waiter = threading.Thread(target=advance)
    waiter.start()
    time.sleep(0.1)
    run.close()
    waiter.join(2.0)
    assert not waiter.is_alive() and isinstance(raised[0], RunClosed)


def test_an_abandoned_body_that_finishes_later_does_not_touch_a_new_run(thread_baseline):
    slow = body("import time", "time.sleep(0.6)", "return x + y")
    old = start(slow, stage_timeout=0.1)
    old.advance_to(Stage.EXECUTING)
    with pytest.raises(RunStalled):
        old.advance()
    old.close()
    with start(ADD_SAMPLE) as new:
        new.advance_to(Stage.EXECUTING)
        time.sleep(0.8)  # the old body returns meanwhile, into its closed run
        final = new.run_to_end()[-1]
        assert [t.return_value for t in final.tasks] == [10]
        assert [e.name for e in final.events if e.source == "log"] == []
    assert live_threads_beyond(thread_baseline) == []
