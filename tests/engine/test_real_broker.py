"""The real-broker engine against a real Redis (Debian's redis-server) and real worker processes.

redis-server is installed with apt-get when missing and the tests run as root; otherwise they
are skipped with the reason. One private server serves the whole module; each run has its own
database on it.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ADD_SAMPLE, ADD_STAGES
from tests.redis_server import alive, wait_gone
from tutor.cli import main
from tutor.defaults import BROKER_ENV
from tutor.engine import RunConfig, Stage, WorkerSpec

redis = pytest.importorskip("redis", reason="the 'redis' package is not installed")


@pytest.fixture
def real_run(broker_url):
    """Start real-broker runs; every one is closed after the test."""
    from tutor.engine.realbroker.run import RealRun

    runs = []

    def start(code=ADD_SAMPLE, **config):
        config.setdefault("filename", "<lesson test>")
        run = RealRun.start(RunConfig(code=code, broker=broker_url, **config))
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.close()


def test_delay_plays_every_stage_on_redis_in_a_worker_process(real_run):
    run = real_run()
    stops = run.run_to_end()
    assert [s.stage for s in stops] == ADD_STAGES
    final = stops[-1]
    task = final.task
    assert task.return_value == 10 and task.state == "SUCCESS"
    worker = final.workers[0]
    assert worker.pid == run.workers[0].pid and alive(worker.pid)
    assert worker.pool_pid not in (None, worker.pid, os.getpid())
    assert worker.hostname.startswith("worker-1@")
    assert any("succeeded" in line for line in worker.log)
    queued = next(s for s in stops if s.stage is Stage.QUEUED)
    assert queued.queue_depth("celery") == 1 and queued.task.state == "PENDING"
    executing = next(s for s in stops if s.stage is Stage.EXECUTING)
    assert executing.task.state == "STARTED" and executing.queue_depth("celery") == 0


def test_the_hood_shows_what_a_separate_redis_client_reads(real_run):
    run = real_run()
    queued = run.advance_to(Stage.QUEUED)
    client = redis.Redis.from_url(run.url)
    raw = client.lrange("celery", 0, -1)
    assert queued.broker.lists["celery"] == client.llen("celery") == 1
    message = json.loads(raw[0])
    assert queued.queues["celery"][0].id == message["headers"]["id"] == queued.task.id
    assert list(queued.queues["celery"][0].args) == [4, 6]
    assert queued.broker.unacked == client.hlen("unacked") == 0
    assert "_kombu.binding.celery" in queued.broker.bindings
    final = run.advance_to(Stage.FINISHED)
    key = f"celery-task-meta-{final.task.id}"
    stored = json.loads(client.get(key))
    assert dict(final.backend.entries)[key] == stored
    assert stored["status"] == "SUCCESS" and stored["result"] == 10
    assert final.broker.lists["celery"] == client.llen("celery") == 0
    client.close()


def test_two_worker_processes_share_one_queue(real_run):
    code = ADD_SAMPLE + "add.delay(1, 2)\n"
    workers = (WorkerSpec("worker-1"), WorkerSpec("worker-2"))
    run = real_run(code, workers=workers)
    final = run.run_to_end()[-1]
    assert sorted(t.return_value for t in final.tasks) == [3, 10]
    assert {t.executed_by for t in final.tasks} == {"worker-1", "worker-2"}
    pids = {w.pid for w in final.workers} | {w.pool_pid for w in final.workers}
    assert len(pids) == 4  # two worker processes, each with its own pool process


def test_closing_mid_task_leaves_no_process(real_run):
    run = real_run()
    executing = run.advance_to(Stage.EXECUTING)
    worker = executing.workers[0]
    pids = [worker.pid, worker.pool_pid]
    assert all(alive(pid) for pid in pids)
    started = time.monotonic()
    run.close()
    assert wait_gone(pids, 1.0) == []
    assert time.monotonic() - started < 2.0


def test_workers_and_server_end_when_the_tutor_is_killed(broker_url, tmp_path):
    probe = (
        "import os, sys\n"
        "from tutor.engine import RunConfig, Stage\n"
        "from tutor.engine.realbroker.server import resolve, private_server\n"
        "from tutor.engine.realbroker.run import RealRun\n"
        "from tests.conftest import ADD_SAMPLE, ADD_STAGES\n"
        "url = resolve('redis')\n"
        "run = RealRun.start(RunConfig(code=ADD_SAMPLE, broker=url))\n"
        "s = run.advance_to(Stage.EXECUTING)\n"
        "server = private_server().process.pid\n"
        "print(server, s.workers[0].pid, s.workers[0].pool_pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    tutor = subprocess.Popen(
        [sys.executable, "-c", probe],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    try:
        pids = [int(word) for word in tutor.stdout.readline().split()]
        assert len(pids) == 3 and all(alive(pid) for pid in pids)
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pids[0])], capture_output=True, text=True
        ).stdout.split()
        pids += [int(pid) for pid in children]  # the redis-server under its supervisor
        assert len(pids) == 4
        os.kill(tutor.pid, signal.SIGKILL)
        tutor.wait(5)
        assert wait_gone(pids, 3.0) == []
    finally:
        if tutor.poll() is None:
            tutor.kill()


def test_a_refused_connection_is_one_clear_line(monkeypatch):
    from tutor.engine.realbroker.server import free_port

    monkeypatch.setenv(BROKER_ENV, "")
    out, err = io.StringIO(), io.StringIO()
    url = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    code = main(["run", "delay", "--plain", "--broker", url], out, err)
    assert code == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Redis broker" in lines[0] and url in lines[0]
    assert time.monotonic() - started < 5.0


def test_a_lesson_not_marked_for_a_real_broker_says_so(broker_url, monkeypatch):
    monkeypatch.setenv(BROKER_ENV, "")
    out, err = io.StringIO(), io.StringIO()
    code = main(["run", "failure", "--plain", "--broker", broker_url], out, err)
    assert code == 1
    assert err.getvalue().strip() == (
        "tutor: the lesson 'failure' does not run on a real broker (its real_broker is false); "
        "play it without --broker"
    )


def test_plain_page_of_delay_on_redis_shows_the_list_the_pids_and_the_meta(broker_url, monkeypatch):
    monkeypatch.setenv(BROKER_ENV, "")
    out, err = io.StringIO(), io.StringIO()
    code = main(["run", "delay", "--plain", "--width", "160", "--broker", broker_url], out, err)
    assert code == 0, err.getvalue()
    page = out.getvalue()
    assert "LLEN celery → 1" in page and "LRANGE celery 0 -1" in page
    assert "pool process" in page and "worker-1@" in page
    assert "GET" in page and "celery-task-meta-" in page and '"status": "SUCCESS"' in page


INVOICE = """from celery import shared_task

@shared_task
def send_invoice(order):
    return f"invoice {order} sent"

send_invoice.delay(7)
"""
TWO = (WorkerSpec("worker-1"), WorkerSpec("worker-2"))


def test_a_worker_killed_after_the_early_ack_loses_the_task(real_run):
    run = real_run(INVOICE, workers=TWO, stop_worker=("worker-1", "executing"))
    stops = run.run_to_end()
    executing = next(s for s in stops if s.stage is Stage.EXECUTING)
    assert executing.broker.unacked == 0  # acknowledged before the body ran
    final = stops[-1]
    assert [s.stage for s in stops].count(Stage.EXECUTING) == 1
    assert final.task.state == "STARTED" and final.task.executed_by == "worker-1"
    assert [w.status for w in final.workers] == ["stopped", "idle"]
    assert wait_gone([executing.workers[0].pid, executing.workers[0].pool_pid], 1.0) == []


def test_with_acks_late_redis_gives_the_message_to_another_worker_process(real_run):
    run = real_run(
        INVOICE,
        workers=TWO,
        acks_late=True,
        visibility_timeout=1.0,
        stop_worker=("worker-1", "executing"),
    )
    stops = run.run_to_end()
    executing = next(s for s in stops if s.stage is Stage.EXECUTING)
    assert executing.broker.unacked == 1 and executing.stop.thread == "worker-1"
    back = [s for s in stops if s.stage is Stage.QUEUED][-1]
    assert back.stop.thread == "broker" and back.broker.unacked == 0
    [message] = back.queues["celery"]  # back in the Redis list, flagged by kombu's restore
    assert message.id == back.task.id and message.headers["redelivered"] is True
    assert message.redelivered
    again = [s for s in stops if s.stage is Stage.RECEIVED][-1]
    assert again.stop.thread == "worker-2" and "redelivered" in again.stop.detail
    final = stops[-1]
    assert final.task.state == "SUCCESS" and final.task.executed_by == "worker-2"
    assert final.task.return_value == "invoice 7 sent"
    assert final.broker.unacked == 0
    assert final.workers[1].pool_pid != executing.workers[0].pool_pid


def test_a_queue_holding_someone_elses_messages_is_refused(real_run, broker_url):
    from tutor.engine.realbroker.server import BrokerUnavailable

    client = redis.Redis.from_url(broker_url)
    client.lpush("celery", b"not a message of the lesson")
    try:
        with pytest.raises(BrokerUnavailable, match="queue 'celery' already holds 1 message"):
            real_run()
    finally:
        client.delete("celery")
        client.close()


def test_check_replays_the_lessons_marked_for_a_real_broker(broker_url, monkeypatch):
    monkeypatch.setenv(BROKER_ENV, "")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "delay", "--broker", broker_url], out, err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert "delay" in out.getvalue() and "passed" in out.getvalue()


def test_the_private_server_ends_when_its_supervisor_is_killed(broker_url):
    from tutor.engine.realbroker.server import PrivateServer

    server = PrivateServer()
    try:
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(server.process.pid)], capture_output=True, text=True
        ).stdout.split()
        [redis_pid] = [int(pid) for pid in children]
        os.kill(server.process.pid, signal.SIGKILL)
        assert wait_gone([redis_pid], 2.0) == []
    finally:
        server.stop()


def test_redis_stopping_mid_run_is_one_clear_line_and_no_thread_traceback(broker_url, capfd):
    from tutor.engine.errors import RunStalled
    from tutor.engine.realbroker.run import RealRun
    from tutor.engine.realbroker.server import PrivateServer

    server = PrivateServer()  # a server of this test's own: it is stopped under the run
    run = RealRun.start(RunConfig(code=ADD_SAMPLE, broker=server.url, stage_timeout=1.5))
    try:
        run.advance_to(Stage.RECEIVED)
        server.stop()
        with pytest.raises(RunStalled) as stalled:
            run.advance()
        assert str(stalled.value).startswith(f"the Redis broker at {server.url} stopped answering")
        assert str(stalled.value).endswith("start it again, then restart the lesson")
    finally:
        run.close()
        server.stop()
    assert "Traceback" not in capfd.readouterr().err  # the worker's proxy thread did not die
