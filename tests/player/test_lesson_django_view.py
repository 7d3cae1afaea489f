"""The django-view lesson, replayed on a real Django project and real Celery: the view answers
while the message waits, and the worker reads the row by its key."""

from __future__ import annotations

from tests.player.played import play_lesson
from tutor.content.loader import load_course
from tutor.player.lesson_run import LessonRun
from tutor.player.quiz import real_answers, real_order
from tutor.player.whatif import run_variant

COURSE = load_course()
LESSON = COURSE.lesson("django-view")
ROUTES = "{'tasks.send_welcome_email': {'queue': 'emails'}}"
RESPONSE = '<JsonResponse status_code=201, "application/json">'


def test_the_app_reads_the_routes_from_django_settings_under_the_celery_prefix():
    results, _ = play_lesson(LESSON)
    configured = results[0]
    assert configured.snapshot.caller_variables["routes"] == {
        "tasks.send_welcome_email": {"queue": "emails"}
    }
    assert configured.evaluation.endswith(f"app.conf.task_routes = {ROUTES}")
    assert configured.result == (
        "tasks.send_welcome_email is registered in the project's app; worker-1 listens on 'emails'"
    )


def test_the_response_is_back_while_the_message_still_waits_then_the_worker_runs_it():
    results, tracker = play_lesson(LESSON)
    queued, received, executing, returned, final = results[1:]
    request = queued.snapshot.calls[2]
    assert request.source.startswith('response = Client().post("/signup/"')
    assert request.done and request.error is None
    assert queued.evaluation == f"The response is back after {request.work_ms:.1f} ms: {RESPONSE}"
    assert queued.result.endswith("with args [1] waits in queue 'emails' (depth 1); state PENDING")
    assert queued.snapshot.task.executed_by is None
    # the worker gets the key the view saved, and reads that row itself
    assert received.evaluation == "The message carries a number, the primary key: args [1]"
    assert executing.snapshot.stop.thread == "worker-1"
    assert executing.action == "worker-1 runs send_welcome_email(user_id=1)"
    assert (
        executing.result == "State STARTED; meanwhile the main app read response.status_code = 201"
    )
    assert returned.result == "Returned mail sent to ada@example.com"
    # the request's real time beside the task's
    task = final.snapshot.task
    assert final.evaluation == (
        f"The request: HTTP 201 after {request.work_ms:.1f} ms. The mail task: "
        f"{task.runtime_ms:.1f} ms in worker-1, after the response"
    )
    assert task.state == "SUCCESS"
    assert tracker["queue emails"] == ["undefined", "1", "0", "0"]
    assert tracker["task state"] == ["undefined", "PENDING", "STARTED", "SUCCESS"]


def test_calling_the_task_function_in_the_view_runs_it_inside_the_request():
    outcome = run_variant(LESSON, "direct-call")
    assert outcome.played is not None
    inside, end = outcome.played.results
    assert inside.snapshot.stop.thread == "main-app"
    assert inside.result == "Is the request over? False: the client is still waiting"
    assert end.result == (
        "HTTP 201; queue 'emails' holds 0; worker-1 is idle, it never saw this task"
    )
    final = outcome.snapshot
    assert final.task.direct and final.task.executed_by == "main-app"
    assert final.calls[2].work_ms > final.task.runtime_ms  # the body's time was the request's


def test_a_lower_case_setting_is_dropped_and_the_message_waits_where_nobody_listens():
    outcome = run_variant(LESSON, "lowercase-setting")
    assert outcome.played is not None
    configured, end = outcome.played.results
    assert configured.result == "app.conf.task_routes = None"
    assert end.evaluation == (
        "With no routes, the message went to the default queue 'celery' (depth 1); "
        "worker-1 listens on 'emails' only"
    )
    assert end.result == "HTTP 201, yet the mail task is PENDING and nobody will ever take it"


def test_the_task_reads_the_row_as_it_is_when_it_runs():
    outcome = run_variant(LESSON, "email-changed")
    assert outcome.played is not None
    queued, started, returned = outcome.played.results
    assert queued.evaluation == "The message holds args [1]: a key, no address"
    assert "status_code=200" in started.evaluation
    assert returned.result == "Returned mail sent to ada@new.example"


def test_every_prediction_has_its_real_answer_among_the_choices():
    answers = real_answers(LESSON, COURSE.quiz("django-view"))
    assert answers[0][0] == "B (1, seen in the real run)"
    assert answers[1][0] == "A ([1], seen in the real run)"
    assert answers[2][0] == "B (celery, seen in the real run)"


def test_the_order_question_follows_the_real_run():
    question = COURSE.quiz("django-view").questions[-1]
    with LessonRun(LESSON) as lesson_run:
        lesson_run.play_all()
        assert lesson_run.run is not None
        stops = lesson_run.run.run_to_end()
    assert real_order(question, stops) == list(range(len(question.items)))
