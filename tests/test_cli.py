"""The `tutor` command as a learner types it: list, wrong ids, plain page, narration, errors."""

from __future__ import annotations

import io
import shutil

from tutor.cli import main
from tutor.content.loader import CONTENT_ENV, content_root


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_list_prints_one_lesson_a_line_id_first():
    code, out, _ = _run("list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "delay",
        "direct-vs-delay",
        "results",
        "failure",
        "retry",
        "scheduling",
        "workers",
        "lost-work",
        "canvas",
        "django-view",
        "on-commit",
        "periodic",
    ]
    assert "Calling tasks asynchronously" in lines[0]


def test_a_wrong_lesson_id_is_one_line_listing_the_valid_ids_and_exit_2():
    code, out, err = _run("run", "dealy", "--plain")
    assert code == 2
    assert out == ""
    assert (
        err == "tutor: no lesson called 'dealy'; the lessons are: delay, direct-vs-delay, results, "
        "failure, retry, scheduling, workers, lost-work, canvas, django-view, on-commit, periodic\n"
    )


def test_plain_page_has_every_section_of_the_reference_page_with_real_values():
    code, out, _ = _run("run", "delay", "--plain", "--width", "120")
    assert code == 0
    sections = [
        "Concept Flow - Calling tasks asynchronously",
        "Execution Sample",
        "Execution Table",
        "Variable Tracker",
        "Key Moments - 3 Insights",
        "Visual Quiz - 7 Questions",
        "Concept Snapshot",
        "Full Transcript",
    ]
    positions = [out.index(section) for section in sections]
    assert positions == sorted(positions)
    assert "add.delay(4, 6)" in out
    assert "Returns 10 after" in out
    assert "state SUCCESS" in out
    assert "raised NotImplementedError: No result backend is configured" in out
    assert "\x1b[" not in out  # piped output has no escape codes


def test_plain_answers_shows_the_answers():
    _, without, _ = _run("run", "delay", "--plain")
    _, with_answers, _ = _run("run", "delay", "--plain", "--answers")
    assert "Answer: C" not in without
    assert "Answer: C" in with_answers


def test_narrate_prints_one_sentence_per_stage_and_step():
    code, out, _ = _run("run", "delay", "--narrate")
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("At ") and ", queued in main-app:" in line for line in lines)
    assert any("received in worker-1" in line for line in lines)
    assert lines[-1].startswith("Step 5 of 5: Result stored or ignored.")
    assert all(line.endswith(".") for line in lines)


def test_a_broken_lesson_file_is_one_clear_message_not_a_traceback(tmp_path, monkeypatch):
    shutil.copytree(content_root() / "lessons", tmp_path / "lessons")
    shutil.copytree(content_root() / "quizzes", tmp_path / "quizzes")
    lesson = tmp_path / "lessons" / "delay.toml"
    lesson.write_text(lesson.read_text().replace('title = "Calling tasks asynchronously"\n', ""))
    monkeypatch.setenv(CONTENT_ENV, str(tmp_path))
    code, _, err = _run("list")
    assert code == 1
    assert (
        err == "tutor: the course content is broken:\nlessons/delay.toml: title: field required\n"
    )
    assert "Traceback" not in err


def test_help_explains_the_commands(capsys):
    try:
        main(["--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    assert "tutor run delay --plain" in out
    assert "tutor delay" in out


def test_a_wrong_lesson_id_given_alone_is_refused_too():
    code, _, err = _run("dealy")
    assert code == 2
    assert "no lesson called 'dealy'" in err


def test_quiz_plain_prints_the_questions_and_answers_read_from_a_real_run():
    code, out, _ = _run("quiz", "delay", "--plain")
    assert code == 0 and "(predict, then watch)" in out and "Answer:" not in out
    code, out, _ = _run("quiz", "delay", "--plain", "--answers")
    assert code == 0
    assert "Answer: B (1, seen in the real run)" in out
    assert "Answer: B (STARTED, seen in the real run)" in out
    assert "(the real run's order)" in out


def test_progress_shows_resets_exports_and_refuses_a_bad_import(tmp_path):
    from tutor.progress.store import ProgressStore

    store = ProgressStore.open(tmp_path, "ada")
    store.record_quiz("delay", 6, 7)
    store.record_completed("delay")
    common = ["--data-dir", str(tmp_path), "--learner", "ada"]
    code, out, _ = _run("progress", *common)
    assert code == 0
    assert "delay            done; best quiz 6/7; 1 attempt(s)" in out
    assert "direct-vs-delay  not started" in out
    export = tmp_path / "ada.json"
    assert _run("progress", *common, "--export", str(export))[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    code, _, err = _run("progress", *common, "--import", str(bad))
    assert code == 1 and err.startswith(f"tutor: {bad}: not valid JSON")
    assert _run("progress", *common, "--reset")[0] == 0
    assert "delay            not started" in _run("progress", *common)[1]
    assert _run("progress", *common, "--import", str(export))[0] == 0
    assert "best quiz 6/7" in _run("progress", *common)[1]


def test_a_corrupt_progress_file_costs_a_message_not_a_crash(tmp_path):
    (tmp_path / "progress.db").write_bytes(b"garbage" * 500)
    code, out, err = _run("progress", "--data-dir", str(tmp_path), "--learner", "ada")
    assert code == 0
    assert "could not be used" in err and "moved to" in err
    assert "not started" in out


def test_notes_without_a_running_demo_is_one_clear_message(tmp_path, capsys):
    argv = ["notes", "--socket", str(tmp_path / "none.sock"), "--wait", "0"]
    code = main(argv, io.StringIO(), io.StringIO())
    assert code == 1
    assert "no demo is running" in capsys.readouterr().err


def test_demo_refuses_a_wrong_lesson_id_and_a_bad_pace():
    code, _, err = _run("demo", "delay", "dealy")
    assert code == 2 and "no lesson called 'dealy'" in err
    code, _, err = _run("demo", "delay", "--pace", "0")
    assert code == 2 and "--pace must be more than 0" in err


def test_a_lesson_id_alone_takes_the_run_options_too():
    code, out, _ = _run("delay", "--narrate")
    assert code == 0
    assert out.splitlines()[-1].startswith("Step 5 of 5: Result stored or ignored.")


def test_a_wrong_option_is_one_line_naming_the_help_and_exit_2():
    code, out, err = _run("run", "delay", "--plian")
    assert code == 2 and out == ""
    assert err.startswith("tutor: no such option '--plian'") and err.count("\n") == 1
    assert "'--plain'" in err and "See 'tutor run --help'." in err
    code, _, err = _run("progress", "--reset", "--export", "x.json")
    assert code == 2 and err.count("\n") == 1 and "one at a time" in err


def test_python_dash_m_tutor_is_the_tutor_command():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tutor", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    from importlib.metadata import version

    assert done.stdout == f"tutor {version('celery-tutor')}\n"
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "list"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.split()[0] == "delay"
