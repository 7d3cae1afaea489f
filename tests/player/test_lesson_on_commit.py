"""The on-commit lesson, replayed on a real Django project and real Celery: the ordinary view's
message meets the worker's DoesNotExist while the view waits at its COMMIT, the row found once the
message is sent on commit, nothing sent on a rollback, and kombu's EncodeError for a model
instance."""

from __future__ import annotations

from tests.player.played import play_lesson
from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.player.quiz import real_order
from tutor.player.whatif import run_variant
from tutor.render.timeline import lane_spans

COURSE = load_course()
LESSON = COURSE.lesson("on-commit")
DOES_NOT_EXIST = "DoesNotExist: User matching query does not exist."
ENCODE_ERROR = "EncodeError: Object of type User is not JSON serializable"


def test_the_sample_view_is_the_ordinary_one():
    view = LESSON.sample.code.split("def signup(request):")[1].split("def ")[0]
    assert "send_welcome_email.delay(user.pk)" in view
    assert ".get(" not in view and "sleep" not in view


def test_the_worker_raises_does_not_exist_while_the_view_waits_at_its_commit():
    results, tracker = play_lesson(LESSON)
    queued, executing, raised, stored = results[:4]
    # The message is in the queue while ada's request has not returned: its COMMIT waits.
    request = queued.snapshot.calls[1]
    assert request.source.startswith('first = Client().post("/signup/"')
    assert not request.done and request.at_commit
    assert queued.snapshot.depth == 1 and queued.snapshot.task.state == "PENDING"
    assert list(queued.snapshot.task.args) == [1]
    assert "request over: False" in queued.evaluation
    assert "the main app is about to COMMIT, waiting for the workers" in queued.result
    # The worker runs the task in its own thread while the view is still before its COMMIT...
    assert executing.snapshot.stop.thread == "worker-1"
    assert not executing.snapshot.calls[1].done and executing.snapshot.calls[1].at_commit
    # ...and its real query, on its own connection, finds no committed row.
    assert raised.snapshot.stop.stage is Stage.RAISED
    assert not raised.snapshot.calls[1].done and raised.snapshot.calls[1].at_commit
    assert raised.snapshot.task.exception == DOES_NOT_EXIST
    assert raised.result == f"Raised in worker-1: {DOES_NOT_EXIST}"
    meta = stored.snapshot.task.stored
    assert meta["status"] == "FAILURE"
    assert meta["result"]["exc_type"] == "User.DoesNotExist"
    assert tracker["ada's mail"] == ["undefined", "PENDING", "STARTED", "FAILURE", "FAILURE"]
    assert tracker["ada's request over"] == ["undefined", "False", "False", "True", "True"]
    assert tracker["ada's COMMIT waits"] == ["undefined", "True", "True", "False", "False"]
    committed = [
        e for e in results[4].snapshot.events if (e.source, e.name) == ("caller", "commit")
    ]
    assert committed[0].seq > max(e.seq for e in stored.snapshot.events)  # after the stored step


def test_the_row_was_committed_after_the_task_looked():
    results, _ = play_lesson(LESSON)
    checked = results[4]
    first, exists = checked.snapshot.calls[1], checked.snapshot.calls[2]
    assert first.done and first.error is None
    assert checked.snapshot.caller_variables["first"].startswith("<JsonResponse status_code=201")
    assert exists.source == 'User.objects.filter(username="ada").exists()'
    assert exists.value is True
    assert checked.result.startswith("exists() = True")
    assert first.waited_ms > 0 and not first.at_commit
    assert checked.evaluation.startswith(f"Its COMMIT had waited {first.waited_ms:.0f} ms")
    # the main app's lane shows that wait, and says where it waited
    _, spans = lane_spans(checked.snapshot)
    assert [s.lane for s in spans if s.kind == "commit"] == ["main-app"]


def test_on_commit_sends_only_after_the_commit_and_the_worker_finds_the_row():
    results, tracker = play_lesson(LESSON)
    queued, returned, final = results[5], results[6], results[7]
    # bob's message exists only once his request is over: the commit came first.
    bob = queued.snapshot.tasks[-1]
    assert bob.state == "PENDING" and list(bob.args) == [2]
    request = queued.snapshot.calls[-1]
    assert request.source.startswith('second = Client().post("/signup-on-commit/"')
    assert request.done and request.waited_ms == 0  # its COMMIT had nothing to wait for
    assert "the request is over (True)" in queued.result
    assert returned.snapshot.tasks[-1].return_value == "welcome mail for bob (#2)"
    assert returned.result == "Returned welcome mail for bob (#2)"
    ada, bob = final.snapshot.tasks
    assert (ada.state, ada.exception) == ("FAILURE", DOES_NOT_EXIST)
    assert (bob.state, bob.exception) == ("SUCCESS", None)
    assert bob.executed_by == ada.executed_by == "worker-1"
    assert final.evaluation == f"ada's mail: FAILURE, {DOES_NOT_EXIST} bob's mail: SUCCESS"
    assert tracker["bob's mail"] == ["undefined", "undefined", "undefined", "PENDING", "SUCCESS"]


def test_a_rollback_drops_the_on_commit_callback_and_nothing_is_published():
    outcome = run_variant(LESSON, "rolls-back")
    assert outcome.played is not None
    answered, end = outcome.played.results
    final = outcome.snapshot
    assert final.tasks == ()  # no message was ever published
    assert final.depth == 0 and final.backend.entries == ()
    status, count = final.calls[-2], final.calls[-1]
    assert (status.source, status.value) == ("response.status_code", 400)
    assert (count.source, count.value) == ("User.objects.count()", 0)
    assert answered.evaluation.endswith("the view answers 400")
    assert answered.result == (
        "Messages in the queues: 0; results stored: 0; nothing was ever published"
    )
    assert end.result == "0 users: the row is gone, and no message ever named it"


def test_sending_the_instance_raises_encode_error_in_the_caller_and_rolls_back():
    outcome = run_variant(LESSON, "sends-instance")
    assert outcome.played is not None
    raised, end = outcome.played.results
    final = outcome.snapshot
    request = final.calls[1]
    assert request.source.startswith("first = Client().post(")
    assert request.error == ENCODE_ERROR
    assert final.tasks == () and final.depth == 0  # nothing reached the queue
    assert final.calls[-1].value == 0  # the error left the block: ada was rolled back
    assert raised.result == f"The request raised in the main app: {ENCODE_ERROR}; queue depth 0"
    assert end.result.startswith("0 users")


def test_delay_on_commit_sends_after_the_commit_and_returns_none():
    outcome = run_variant(LESSON, "delay-on-commit")
    assert outcome.played is not None
    queued, stored, end = outcome.played.results
    assert queued.snapshot.calls[-1].done  # the request was over before the message existed
    assert queued.snapshot.depth == 1
    assert stored.result == "State SUCCESS: welcome mail for bob (#1)"
    assert outcome.snapshot.calls[-1].value == {"user": 1, "sent": "None"}
    assert end.result.startswith("{'user': 1, 'sent': 'None'}: delay_on_commit returned None")


def test_every_prediction_has_its_real_answer_among_the_choices():
    answers = shipped_answers("on-commit")
    assert answers[0][0] == f"B ({DOES_NOT_EXIST}, seen in the real run)"
    assert answers[1][0] == "A (welcome mail for bob (#2), seen in the real run)"
    assert answers[2][0] == "A (0, seen in the real run)"


def test_the_order_question_follows_the_real_run():
    question = COURSE.quiz("on-commit").questions[-1]
    with LessonRun(LESSON) as lesson_run:
        lesson_run.play_all()
        assert lesson_run.run is not None
        stops = lesson_run.run.run_to_end()
    assert real_order(question, stops) == list(range(len(question.items)))
