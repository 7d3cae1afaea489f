"""The snapshot's read of Redis sent early (as the last moving thread's report arrives): what a
snapshot shows from it is what Redis holds, and a read sent before something moved is never shown.
Against a real Redis (Debian's redis-server; skipped with the reason when it cannot be had)."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import ADD_SAMPLE
from tutor.engine import RunConfig, Stage
from tutor.engine.conductor import Conductor
from tutor.engine.trace import Trace

redis = pytest.importorskip("redis", reason="the 'redis' package is not installed")


@pytest.fixture
def client(broker_url):
    from tutor.engine.realbroker.server import redis_client

    connection = redis_client(broker_url)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def _now(client, queues, ids):
    from tutor.engine.realbroker.reading import read_state

    return read_state(client, queues, ids)


def test_a_step_on_redis_is_read_early_and_shows_what_redis_holds(broker_url):
    from tutor.engine.realbroker.run import RealRun
    from tutor.engine.realbroker.snapshots import shown_queues, stored_ids

    with RealRun.start(RunConfig(code=ADD_SAMPLE, broker=broker_url)) as run:
        executing = run.advance_to(Stage.EXECUTING)
        before = run.early_read.used
        returned = run.advance()
        assert returned.stage is Stage.RETURNED and run.early_read.used == before + 1
        seen = [executing, returned]
        while not run.finished:
            seen.append(run.advance())
            # nothing moves between stops: Redis read now is what the snapshot shows
            now = _now(run.client, shown_queues(run), stored_ids(run))
            snapshot = seen[-1]
            assert snapshot.broker.lists == now.lengths
            assert snapshot.broker.unacked == now.unacked_count
            assert dict(snapshot.backend.entries) == now.metas
            assert snapshot.broker.bindings == now.bindings
        stored = next(s for s in seen if s.stage is Stage.STORED)
        assert stored.task.state == "SUCCESS"  # the meta the worker wrote before its report
        assert run.early_read.used >= 3  # RETURNED, STORED, FINISHED at least


def test_a_read_sent_before_a_thread_moved_is_dropped(client):
    from tutor.engine.realbroker.early_read import EarlyRead

    early = EarlyRead(client)
    try:
        early.send(7, ["celery"], ["abc"])
        client.rpush("celery", b'{"headers": {"id": "m1"}, "body": "[]", "properties": {}}')
        assert early.take(8, ["celery"], ["abc"]) is None  # a thread moved since: not shown
        assert early.used == 0
        early.send(8, ["celery"], ["abc"])
        reading = early.take(8, ["celery"], ["abc"])
        assert reading is not None and reading.lengths == {"celery": 1}
        assert reading == _now(client, ["celery"], ["abc"])  # the connection stayed in step
    finally:
        early.close()


def test_a_read_for_other_keys_or_none_sent_gives_nothing(client):
    from tutor.engine.realbroker.early_read import EarlyRead

    early = EarlyRead(client)
    try:
        assert early.take(1, ["celery"], []) is None
        early.send(1, ["celery"], [])
        assert early.take(1, ["celery", "emails"], []) is None
        early.send(1, ["celery"], ["abc"])
        early.send(1, ["celery"], [])  # the first one's reply is read and dropped
        reading = early.take(1, ["celery"], [])
        assert reading is not None and reading.metas == {} and reading.lengths == {"celery": 0}
        early.close()
        early.send(2, ["celery"], [])  # a proxy late for the run's close
        assert early.take(2, ["celery"], []) is None
    finally:
        early.close()


def test_quiet_token_only_when_no_other_thread_moves():
    conductor = Conductor(Trace())
    assert conductor.quiet_token() == conductor.moves == 0
    busy, release = threading.Event(), threading.Event()

    def work():
        conductor.begin_work()
        busy.set()
        release.wait(5)
        conductor.end_work()

    other = threading.Thread(target=work)
    other.start()
    busy.wait(5)
    try:
        assert conductor.quiet_token() is None  # another thread works
        assert conductor.moves == 1
    finally:
        release.set()
        other.join(5)
    assert conductor.quiet_token() == 1
    conductor.begin_work()  # the calling thread itself moving does not count against it
    assert conductor.quiet_token() == conductor.moves == 2
    # a message gated by a thread that is not busy (the redelivery watcher waits meanwhile)
    conductor.gate_message("m1", "celery")
    assert conductor.moves == 3
