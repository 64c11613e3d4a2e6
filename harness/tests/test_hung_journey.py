"""A journey that hangs, in the server or in the browser, under pytest-timeout: it fails with its
artifacts kept (the server log holding the stuck request's stack), and the worker goes on, isolated.

``liveapp``'s GET /hang writes a note and then waits for ever; the browser-side hang is a promise
that never settles. Each project run has a hard outer bound, so a hang fails the test here instead
of hanging this suite.
"""

from __future__ import annotations

import pytest

from apps_live import artifact_folders, make_project, report_of

pytest.importorskip("pytest_timeout", reason="pytest-timeout (in the test extra) makes the hangs fail")

HUNG = """
from playwright.sync_api import expect

from liveapp import Note, db


def test_1_passes(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_2_the_server_never_answers(page):
    page.goto("/hang", timeout=0)


def test_3_the_page_never_settles(page):
    page.goto("/")
    page.evaluate("() => new Promise(() => {})")


def test_4_passes_without_the_note_of_test_2(page, db):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_role("listitem")).to_have_count(0)
    assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0
"""
TIMEOUT = "5"
# Only the test function is timed: a worker's first test launches the browser in its set-up, which
# on a loaded machine can take longer than TIMEOUT, and would end a passing test.
TIMED = ("--timeout", TIMEOUT, "-o", "timeout_func_only=true")
OUTER_BOUND_SECONDS = 120  # a run here takes 10-25 s; a run that hangs fails instead
SERVER_HANG = "test-hung-py-test-2-the-server-never-answers-chromium"
BROWSER_HANG = "test-hung-py-test-3-the-page-never-settles-chromium"


def failure_of(result: pytest.RunResult, test_name: str) -> str:
    """One test's report under FAILURES (``report_of`` finds an ``ERROR at teardown`` of it first)."""
    failures = result.stdout.str().split("= FAILURES =", 1)[1]
    start = failures.index(f" {test_name}")
    end = failures.find("\n___", start)
    return failures[start:end if end != -1 else None]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_hung_journey_fails_with_its_artifacts_and_the_worker_goes_on(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: list[str]) -> None:
    make_project(pytester, monkeypatch, test_hung=HUNG)

    result = pytester.runpytest_subprocess(*TIMED, *workers, timeout=OUTER_BOUND_SECONDS)

    result.assert_outcomes(passed=2, failed=2, errors=1)  # test_2's teardown names its stuck request
    for test_name in ("test_2_the_server_never_answers", "test_3_the_page_never_settles"):
        assert f"Timeout (>{TIMEOUT}.0s) from pytest-timeout" in failure_of(result, test_name)
    assert "flask_harness.live WARNING Requests still running when the test failed:\nGET /hang, running for" in (
        failure_of(result, "test_2_the_server_never_answers"))
    drain = report_of(result, "test_2_the_server_never_answers")
    assert "ERROR at teardown" in drain
    assert "Requests still running 5.0s after the test ended: GET /hang (for " in drain
    assert "The harness gave up on them" in drain
    assert artifact_folders(pytester) == [SERVER_HANG, BROWSER_HANG]
    for folder in (SERVER_HANG, BROWSER_HANG):
        assert {"trace.zip", "screenshot.png", "server.log"} <= {
            path.name for path in (pytester.path / "test-results" / folder).iterdir()}
    server_log = (pytester.path / "test-results" / SERVER_HANG / "server.log").read_text()
    assert "Requests still running when the test failed:\nGET /hang, running for" in server_log
    assert 'liveapp.py", line' in server_log
    assert "in hang_forever" in server_log  # the stuck request's stack: file, line and function


def test_under_the_thread_method_a_hung_test_ends_its_worker_and_xdist_replaces_it(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_hung=HUNG)

    result = pytester.runpytest_subprocess(*TIMED, "--timeout-method", "thread", "-n", "2",
                                           timeout=OUTER_BOUND_SECONDS)

    result.assert_outcomes(passed=2, failed=2)
    for test_name in ("test_2_the_server_never_answers", "test_3_the_page_never_settles"):
        result.stdout.re_match_lines([rf"worker 'gw\d' crashed while running 'test_hung.py::{test_name}"])
    assert artifact_folders(pytester) == []  # the process is gone before anything is saved
