"""A real Django project in a run (RunConfig.django): views, transactions, settings. No mocks."""

from __future__ import annotations

from tutor.engine import Stage, WorkerSpec

PROJECT = """from celery import shared_task
from django.contrib.auth.models import User
from django.db import transaction
from django.http import JsonResponse
from django.test import Client
from django.urls import path
from proj.celery import app

app.config_from_object("django.conf:settings", namespace="CELERY")

@shared_task
def welcome(user_id):
    user = User.objects.get(pk=user_id)
    return f"welcome {user.username} #{user.pk}"

def signup(request):
    user = User.objects.create(username=request.POST["username"])
    welcome.delay(user.pk)
    return JsonResponse({"id": user.pk}, status=201)

"""

VIEW = (
    PROJECT
    + """urlpatterns = [path("signup/", signup)]
response = Client().post("/signup/", {"username": "NAME"})
response.status_code
"""
)


def test_the_view_answers_while_the_message_still_waits_then_the_worker_finds_the_row(start_run):
    run = start_run(VIEW.replace("NAME", "ada"), django=True)
    queued = run.advance_to(Stage.QUEUED)
    request = queued.calls[-1]
    assert request.source.startswith("response = Client().post(")
    assert request.done and request.error is None and request.work_ms is not None
    assert queued.depth == 1 and queued.task.state == "PENDING"
    assert list(queued.task.args) == [1]  # the primary key the view saved
    status = run.advance_to(Stage.CALLING)
    assert status.stop.line == VIEW.count("\n")
    final = run.run_to_end()[-1]
    assert final.calls[-1].value == 201
    assert final.task.state == "SUCCESS"
    assert final.task.return_value == "welcome ada #1"
    assert final.task.executed_by == "worker-1"


def test_a_row_is_seen_by_the_worker_only_once_committed(start_run):
    code = PROJECT + (
        "with transaction.atomic():\n"
        "    user = User.objects.create(username='ada')\n"
        "    inside = welcome.delay(user.pk).get(timeout=5, propagate=False)\n"
        "after = welcome.delay(user.pk).get(timeout=5)\n"
    )
    final = start_run(code, django=True).run_to_end()[-1]
    first, second = final.tasks
    assert first.state == "FAILURE"
    assert first.exception.startswith("DoesNotExist: User matching query does not exist")
    assert "DoesNotExist" in str(final.caller_variables["inside"])
    assert second.state == "SUCCESS" and final.caller_variables["after"] == "welcome ada #1"


def test_delay_on_commit_sends_after_the_commit_and_not_at_all_on_rollback(start_run):
    code = PROJECT + (
        "with transaction.atomic():\n"
        "    user = User.objects.create(username='ada')\n"
        "    welcome.delay_on_commit(user.pk)\n"
        "try:\n"
        "    with transaction.atomic():\n"
        "        bob = User.objects.create(username='bob')\n"
        "        welcome.delay_on_commit(bob.pk)\n"
        "        raise ValueError('roll back')\n"
        "except ValueError:\n"
        "    pass\n"
        "User.objects.count()\n"
    )
    final = start_run(code, django=True).run_to_end()[-1]
    [task] = final.tasks  # the rolled-back one sent nothing
    assert task.state == "SUCCESS" and task.return_value == "welcome ada #1"
    assert final.calls[-1].value == 1


def test_each_run_gets_a_fresh_database_even_two_alive_at_once(start_run):
    first = start_run(VIEW.replace("NAME", "ada"), django=True)
    first.advance_to(Stage.QUEUED)
    second = start_run(VIEW.replace("NAME", "bob"), django=True)
    assert second.run_to_end()[-1].task.return_value == "welcome bob #1"
    assert first.run_to_end()[-1].task.return_value == "welcome ada #1"
    assert first.project.database != second.project.database
    third = start_run(VIEW.replace("NAME", "cy"), django=True)
    assert third.run_to_end()[-1].task.return_value == "welcome cy #1"
    first.close()
    assert not first.project.database.exists()


def test_the_app_reads_its_settings_from_django_under_the_celery_prefix(start_run):
    code = "from django.conf import settings\n" + VIEW.replace("NAME", "ada")
    code += "settings.CELERY_BROKER_URL\napp.conf.broker_url\napp.conf.task_routes\n"
    routes = {"tasks.welcome": {"queue": "emails"}}
    emails = (WorkerSpec(queues=("emails",)),)
    final = start_run(
        code, django=True, django_settings=(("CELERY_TASK_ROUTES", routes),), workers=emails
    ).run_to_end()[-1]
    broker, read, read_routes = (call.value for call in final.calls[-3:])
    assert broker == read == "memory://localhost//"
    assert read_routes == routes
    assert final.task.queue == "emails" and final.task.state == "SUCCESS"
    # the same line of settings.py in lower case: Django keeps no such setting, Celery reads none
    lower = start_run(
        code, django=True, django_settings=(("task_routes", routes),), workers=emails
    ).run_to_end()[-1]
    assert lower.calls[-1].value is None
    assert lower.task.queue == "celery" and lower.task.state == "PENDING"
    assert len(lower.queues["celery"]) == 1


def test_a_sample_that_does_not_read_the_settings_has_no_result_backend(start_run):
    code = "from celery import shared_task\n\n@shared_task\ndef add(x, y):\n    return x + y\n\n"
    final = start_run(code + "add.delay(1, 2)\n", django=True).run_to_end()[-1]
    assert final.task.state == "not configured"
    assert not final.backend.configured


def test_the_callers_connection_and_its_transaction_last_from_one_statement_to_the_next(
    start_run,
):
    code = PROJECT + (
        "transaction.set_autocommit(False)\n"
        "User.objects.create(username='ada')\n"
        "transaction.get_autocommit()\n"
        "transaction.rollback()\n"
        "User.objects.count()\n"
    )
    final = start_run(code, django=True).run_to_end()[-1]
    assert [call.value for call in final.calls[-3:]] == [False, None, 0]


IN_BLOCK = PROJECT.replace(
    """    user = User.objects.create(username=request.POST["username"])
    welcome.delay(user.pk)
""",
    """    with transaction.atomic():
        user = User.objects.create(username=request.POST["username"])
        welcome.delay(user.pk)
""",
)
ON_COMMIT = PROJECT.replace(
    """    user = User.objects.create(username=request.POST["username"])
    welcome.delay(user.pk)
""",
    """    with transaction.atomic():
        user = User.objects.create(username=request.POST["username"])
        transaction.on_commit(lambda: welcome.delay(user.pk))
""",
)
ROUTES = """urlpatterns = [path("signup/", signup)]
response = Client().post("/signup/", {"username": "ada"})
User.objects.filter(username="ada").exists()
"""


def _caller_events(snapshot):
    return [event.name for event in snapshot.events if event.source == "caller"]


def test_a_worker_takes_the_message_while_the_view_waits_at_its_commit(start_run):
    run = start_run(IN_BLOCK + ROUTES, django=True)
    queued = run.advance_to(Stage.QUEUED)
    request = queued.calls[-1]
    assert request.source.startswith("response = Client().post(")
    assert not request.done and request.at_commit  # the block ended; its COMMIT waits
    assert queued.depth == 1 and list(queued.task.args) == [1]
    assert _caller_events(queued)[-1] == "commit-waiting"
    raised = run.advance_to(Stage.RAISED)
    assert raised.stop.thread == "worker-1"
    assert raised.task.exception == "DoesNotExist: User matching query does not exist."
    assert not raised.calls[-1].done and raised.calls[-1].at_commit
    assert "commit" not in _caller_events(raised)
    stored = run.advance_to(Stage.STORED)
    assert stored.task.state == "FAILURE" and not stored.calls[-1].done
    after = run.advance_to(Stage.CALLING)  # the COMMIT, then the response: line 24 is next
    assert after.calls[-1].done and not after.calls[-1].at_commit
    assert after.calls[-1].waited_ms > 0
    [commit] = [e for e in after.events if (e.source, e.name) == ("caller", "commit")]
    assert commit.data["messages"] == 1 and not commit.data["timed_out"]
    [failed] = [e for e in after.events if e.name == "task_failure"]
    assert failed.seq < commit.seq  # the worker gave up before the row was committed
    final = run.run_to_end()[-1]
    assert final.calls[-1].value is True  # the row exists, once committed
    assert final.caller_variables["response"].startswith("<JsonResponse status_code=201")


def test_a_message_sent_on_commit_finds_its_row_and_the_commit_waits_for_nothing(start_run):
    run = start_run(ON_COMMIT + ROUTES, django=True)
    queued = run.advance_to(Stage.QUEUED)
    assert queued.calls[-1].done  # the message exists only after the commit and the response
    assert "commit-waiting" not in _caller_events(queued)
    [commit] = [e for e in queued.events if (e.source, e.name) == ("caller", "commit")]
    [put] = [e for e in queued.events if (e.source, e.name) == ("broker", "put")]
    assert commit.data["messages"] == 0 and commit.seq < put.seq
    final = run.run_to_end()[-1]
    assert final.task.state == "SUCCESS" and final.task.return_value == "welcome ada #1"


def test_a_rollback_waits_for_nothing(start_run):
    code = PROJECT + (
        "def fail(name):\n"
        "    with transaction.atomic():\n"
        "        user = User.objects.create(username=name)\n"
        "        transaction.on_commit(lambda: welcome.delay(user.pk))\n"
        "        sent = welcome.delay(user.pk)\n"
        "        raise ValueError(name)\n"
        "\n"
        "fail('ada')\n"
        "User.objects.count()\n"
    )
    run = start_run(code, django=True)
    queued = run.advance_to(Stage.QUEUED)
    # the plain delay() was sent; the rollback did not wait for it, and dropped the on_commit
    assert queued.calls[-1].done and queued.calls[-1].error == "ValueError: ada"
    assert not queued.calls[-1].at_commit and queued.calls[-1].waited_ms == 0
    assert [e for e in _caller_events(queued) if e.startswith("commit")] == []
    final = run.run_to_end()[-1]
    assert len(final.tasks) == 1 and final.task.state == "FAILURE"  # its row never existed
    assert final.calls[-1].value == 0


def test_the_commit_does_not_wait_when_no_worker_consumes_the_queue(start_run):
    run = start_run(IN_BLOCK + ROUTES, django=True, workers=())
    final = run.run_to_end()[-1]
    assert final.calls[-1].value is True and final.depth == 1
    assert "commit-waiting" not in _caller_events(final)
    [commit] = [e for e in final.events if (e.source, e.name) == ("caller", "commit")]
    assert commit.data["messages"] == 1 and commit.data["waited_ms"] == 0
