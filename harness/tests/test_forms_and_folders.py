"""The client's CSRF hint, per-worker temporary folders emptied after each test, and the runner."""

from __future__ import annotations

import pytest

from example_apps import copy_app, run, write_ini

NOTES_TESTS = """
import io
import os


def test_1_posts_refused_for_csrf_fail_with_the_hint(client):
    client.post("/notes", data={"body": "hello"})
    client.post("/upload", data={"file": (io.BytesIO(b"x"), "a.txt")})
    assert False, "refused"


def test_2_an_upload_lands_in_the_workers_folder(app, client, tmp_path_factory):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert client.post("/upload", data={"file": (io.BytesIO(b"x"), "a.txt")}).status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    folder = app.config["UPLOAD_FOLDER"]
    assert os.listdir(folder) == ["upload.txt"]
    assert folder.startswith(str(tmp_path_factory.getbasetemp()))


def test_3_the_folder_is_empty_again_and_the_runner_sees_it(runner):
    assert runner.invoke(args=["count-uploads"]).output == "0\\n"
"""


def test_csrf_refusals_are_named_in_the_failure_and_temp_folders_are_emptied_after_each_test(
    pytester: pytest.Pytester,
) -> None:
    copy_app(pytester, "forms")
    write_ini(pytester, flask_app="notes:create_app", flask_harness_temp_folders=["UPLOAD_FOLDER"])
    pytester.makepyfile(test_notes=NOTES_TESTS)

    result = run(pytester)

    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "*- flask-harness: CSRF -*",
        "Flask-WTF refused these test-client requests for a missing or wrong CSRF token:",
        "  POST /notes: NoteForm re-rendered with csrf_token error *",
        "  POST /upload: 400 from Flask-WTF's CSRF protection",
        '        return {"WTF_CSRF_ENABLED": False}',
    ])
    assert not (pytester.path / "uploads").exists()
