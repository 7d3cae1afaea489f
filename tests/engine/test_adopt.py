"""A developer's own module, traced: their Celery app is adopted by the run (no mocks)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.traced import anybody_connected
from tutor.engine import Run, RunConfig, SampleError, Stage


def traced(start_run, folder: Path, code: str, name: str = "tasks") -> Run:
    path = folder / f"{name}.py"
    path.write_text(code, encoding="utf-8")
    return start_run(code, filename=str(path), traced=True, search_path=str(folder), module=name)


def test_their_app_runs_on_the_run_broker_and_never_contacts_theirs(start_run, tmp_path, listening):
    port = listening.getsockname()[1]
    code = f"""from celery import Celery

app = Celery("proj", broker="redis://127.0.0.1:{port}/0", backend="redis://127.0.0.1:{port}/1")
app.conf.task_routes = {{"tasks.slow": {{"queue": "slow"}}}}
app.conf.task_acks_late = True


@app.task
def mul(x, y):
    return x * y


@app.task
def slow(x):
    return x + 1


app.conf.task_serializer = "json"

if __name__ == "__main__":
    r = mul.delay(6, 7)
    slow.delay(1)
    r.get(timeout=5)
"""
    run = traced(start_run, tmp_path, code)
    final = run.run_to_end()[-1]
    assert [(t.name, t.state, t.return_value) for t in final.tasks] == [
        ("tasks.mul", "SUCCESS", 42),
        ("tasks.slow", "SUCCESS", 2),
    ]
    assert [task.queue for task in final.tasks] == ["celery", "slow"]  # their route kept
    assert [call.source for call in final.calls] == [
        "r = mul.delay(6, 7)",
        "slow.delay(1)",
        "r.get(timeout=5)",
    ]  # the __main__ block's statements are the calls, the late conf line a definition
    assert final.calls[2].value == 42
    adoption = run.adoption
    assert adoption is not None and adoption.name == "proj"
    assert dict(adoption.replaced)["broker_url"] == f"redis://127.0.0.1:{port}/0"
    assert {"task_routes", "task_acks_late", "task_serializer"} <= dict(adoption.kept).keys()
    assert run.app is not None and run.app.conf.task_acks_late is True
    defined = final if final.stage is Stage.DEFINED else run.snapshots[0]
    assert "kept from their file: task_routes" in defined.stop.detail
    assert not anybody_connected(listening)


def test_shared_tasks_and_an_app_in_a_sibling_module(start_run, tmp_path):
    (tmp_path / "proj_celery.py").write_text(
        'from celery import Celery\napp = Celery("proj", broker="redis://127.0.0.1:1/0")\n'
    )
    code = """from celery import shared_task
from proj_celery import app


@shared_task
def add(x, y):
    return x + y


@app.task(ignore_result=True)
def shout(word):
    return word.upper()

if __name__ == "__main__":
    add.delay(2, 3)
    shout.delay("hi")
"""
    run = traced(start_run, tmp_path, code)
    assert str(tmp_path) in sys.path and "proj_celery" in sys.modules
    final = run.run_to_end()[-1]
    assert {t.name: t.return_value for t in final.tasks} == {"tasks.add": 5, "tasks.shout": "HI"}
    assert final.backend.kind == "not configured"  # their app has no result backend: kept so
    run.close()
    assert str(tmp_path) not in sys.path and "proj_celery" not in sys.modules


def test_a_custom_base_task_keeps_its_behaviour_and_is_gated(start_run, tmp_path):
    code = """from celery import Celery, Task

app = Celery("proj", broker="redis://127.0.0.1:1/0", backend="redis://127.0.0.1:1/1")


class Loud(Task):
    def after_return(self, status, retval, task_id, args, kwargs, einfo):
        print("done", status)

    def double(self, value):
        return value * 2


@app.task(base=Loud, bind=True)
def twice(self, x):
    return self.double(x)

if __name__ == "__main__":
    twice.delay(21)
"""
    run = traced(start_run, tmp_path, code)
    stages = [snapshot.stage for snapshot in run.run_to_end()]
    assert Stage.EXECUTING in stages and Stage.RETURNED in stages  # the gate held it
    assert run.snapshots[-1].task.return_value == 42


def test_a_module_with_two_apps_and_no_app_named_app_is_refused(start_run, tmp_path):
    code = """from celery import Celery
one = Celery("one")
two = Celery("two")

@one.task
def f():
    return 1

if __name__ == "__main__":
    f.delay()
"""
    with pytest.raises(SampleError, match="creates 2 Celery apps"):
        traced(start_run, tmp_path, code)


def test_a_plain_sample_is_not_adopted(start_run):
    run = start_run()
    assert run.adoption is None
    assert run.run_to_end()[-1].task.return_value == 10


def test_run_config_defaults_leave_module_mode_off():
    config = RunConfig(code="x = 1")
    assert config.traced is False and config.search_path is None


def test_a_configuration_that_cannot_load_is_a_sample_error(start_run, tmp_path):
    code = """from celery import Celery
app = Celery("proj")
app.config_from_object("no_such_config_module")

@app.task
def f():
    return 1

if __name__ == "__main__":
    f.delay()
"""
    with pytest.raises(SampleError, match="configuration of Celery app 'proj' cannot be loaded"):
        traced(start_run, tmp_path, code)


def test_their_serializer_default_queue_and_annotations_are_kept_and_shown(start_run, tmp_path):
    code = """from celery import Celery

app = Celery("proj", broker="redis://127.0.0.1:1/0", backend="redis://127.0.0.1:1/1")
app.conf.update(
    task_serializer="pickle",
    result_serializer="pickle",
    accept_content=["pickle"],
    task_default_queue="jobs",
    task_annotations={"tasks.mul": {"rate_limit": "100/s"}},
)

@app.task
def mul(x, y):
    return x * y

if __name__ == "__main__":
    mul.delay(6, 7)
"""
    run = traced(start_run, tmp_path, code)
    queued = run.advance_to(Stage.QUEUED)
    [message] = queued.queues["jobs"]
    assert message.args == (6, 7)  # read from Celery's argsrepr: the body is a pickle
    final = run.run_to_end()[-1]
    assert final.workers[0].queues == ("jobs",)
    [(_, meta)] = final.backend.entries
    assert meta["status"] == "SUCCESS" and meta["result"] == 42  # decoded with their serializer
    kept = {name for name, _, how in final.app_settings if how == "kept"}
    assert {"task_serializer", "task_default_queue", "task_annotations"} <= kept
    assert run.app is not None and run.app.tasks["tasks.mul"].rate_limit == "100/s"
