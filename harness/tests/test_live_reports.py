"""What a failing live test reports of the server's side, and how ``expect_server_error`` changes it."""

from __future__ import annotations

import zipfile
from types import SimpleNamespace
from typing import Any

import pytest

from apps_live import artifact_folders, make_project, report_of, section_of
from flask_harness.live.fixtures import LIVE_TEST, log_without_tracebacks, problems_of
from flask_harness.live.server import ServerError

SERVER_ERRORS = """
import pytest
from playwright.sync_api import expect

OWN_ERROR_PAGE = "Something went wrong on our side"


def test_1_home(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_2_unexpected_server_error(page):
    page.goto("/boom")


@pytest.mark.expect_server_error
def test_3_own_error_page(page):
    response = page.goto("/boom")
    assert response.status == 500
    expect(page.get_by_role("heading", name=OWN_ERROR_PAGE)).to_be_visible()


@pytest.mark.expect_server_error
def test_4_own_error_page_then_a_failure(page):
    page.goto("/boom")
    expect(page.get_by_role("heading", name=OWN_ERROR_PAGE)).to_be_visible()
    assert False, "failed after the error page"


def test_5_console_error_then_a_failure(page):
    page.goto("/")
    page.evaluate("console.error('the script broke first')")
    assert False, "failed on its own"


def test_6_answered_503_without_raising(page):
    assert page.goto("/down").status == 503
"""
TRACEBACK_END = "RuntimeError: boom from the view"


@pytest.fixture
def server_errors_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    make_project(pytester, monkeypatch, test_server_errors=SERVER_ERRORS)
    return pytester.runpytest_subprocess()


def test_server_errors_in_reports_and_artifacts(server_errors_run: pytest.RunResult,
                                                pytester: pytest.Pytester) -> None:
    """Tracebacks once per report, this test's log lines only, no colour codes; the app's own
    500 page under ``expect_server_error`` with the traceback still kept; each failing journey's
    files kept and listed, none for a passing one."""
    result = server_errors_run
    unexpected, expected = report_of(result, "test_2_"), report_of(result, "test_4_")
    folder = pytester.path / "test-results"
    unexpected_folder = folder / "test-server-errors-py-test-2-unexpected-server-error-chromium"
    expected_folder = folder / "test-server-errors-py-test-4-own-error-page-then-a-failure-chromium"

    # Without the marker a server exception fails the test; with it the app's own page renders.
    result.assert_outcomes(passed=2, failed=4)
    assert "server error on GET /boom:" in unexpected
    # A 5xx the app answers without an exception fails the journey too: only the page saw it.
    answered = report_of(result, "test_6_")
    assert "server answered 503 GET http://127.0.0.1:" in answered
    assert "server error on" not in answered
    # Each traceback is shown once: not again in a log section or in pytest's captured log.
    assert unexpected.count(TRACEBACK_END) == 1
    assert expected.count(TRACEBACK_END) == 1
    assert TRACEBACK_END in section_of(expected, "live server tracebacks")
    assert "Captured log" not in unexpected + expected
    # The report shows this test's log lines, cut short where a traceback was.
    log = section_of(unexpected, "live server log (this test)")
    assert '"GET /boom HTTP/1.1" 500' in log
    assert '"GET / HTTP/1.1"' not in log  # test_1's request
    assert "(traceback in server-errors.txt)" in log
    assert "\x1b[" not in result.stdout.str()
    # Browser problems met before a test failed on its own are in its report.
    assert "console error: the script broke first" in section_of(
        report_of(result, "test_5_"), "browser problems")
    # A failing journey keeps its files in test-results/<test id>/ and lists them; a passing one keeps none.
    assert artifact_folders(pytester) == sorted([unexpected_folder.name, expected_folder.name,
                                                 "test-server-errors-py-test-5-console-error-then-a-failure-chromium",
                                                 "test-server-errors-py-test-6-answered-503-without-raising-chromium"])
    assert sorted(path.name for path in unexpected_folder.iterdir()) == [
        "screenshot.png", "server-errors.txt", "server.log", "trace.zip"]
    result.stdout.fnmatch_lines([
        "*_ test_2_unexpected_server_error*",
        "*- flask-harness artifacts -*",
        f"{unexpected_folder}/screenshot.png",
        f"{unexpected_folder}/trace.zip",
        f"{unexpected_folder}/server.log",
        f"{unexpected_folder}/server-errors.txt",
        f"open the trace with: playwright show-trace {unexpected_folder}/trace.zip",
    ])
    assert zipfile.is_zipfile(unexpected_folder / "trace.zip")
    assert (unexpected_folder / "screenshot.png").read_bytes().startswith(b"\x89PNG")
    # The artifact folder keeps the test's whole log, without colour codes, and the tracebacks.
    for kept in (unexpected_folder, expected_folder):
        server_log = (kept / "server.log").read_text()
        assert "Traceback (most recent call last)" in server_log
        assert "\x1b[" not in server_log
        assert '"GET / HTTP/1.1"' not in server_log
        assert TRACEBACK_END in (kept / "server-errors.txt").read_text()


# --- the pieces, on their own ---------------------------------------------------------------------


def test_log_without_tracebacks_cuts_each_traceback_to_a_note_on_its_line() -> None:
    log = ("2026-01-01 10:00:00,000 werkzeug INFO GET / 200\n"
           "2026-01-01 10:00:01,000 werkzeug ERROR Error on request:\n"
           "Traceback (most recent call last):\n  File x\nRuntimeError: boom\n"
           "2026-01-01 10:00:02,000 werkzeug INFO GET /next 200\n")

    assert log_without_tracebacks(log) == (
        "2026-01-01 10:00:00,000 werkzeug INFO GET / 200\n"
        "2026-01-01 10:00:01,000 werkzeug ERROR Error on request:  (traceback in server-errors.txt)\n"
        "2026-01-01 10:00:02,000 werkzeug INFO GET /next 200")


def seen_by_the_harness(marked_expect_server_error: bool = False, **live: Any) -> Any:
    """A test item as the live layer's hooks see it after a live test."""
    state = SimpleNamespace(**{"browser_problems": [], "server_errors": [], "server_responses_5xx": [],
                                "aborted_requests": [], **live})
    stash = pytest.Stash()
    stash[LIVE_TEST] = state  # type: ignore[assignment]
    marker = pytest.mark.expect_server_error.mark if marked_expect_server_error else None
    return SimpleNamespace(stash=stash, get_closest_marker=lambda _name: marker)


def test_problems_of_an_unexpected_server_error_are_its_traceback_and_status() -> None:
    error = ServerError("GET", "/about", "Traceback (most recent call last):\nRuntimeError: boom\n")
    item = seen_by_the_harness(server_errors=[error], server_responses_5xx=["500 GET http://h/about"])

    assert problems_of(item) == [f"server error on GET /about:\n{error.traceback}",
                                 "server answered 500 GET http://h/about"]


def test_problems_of_an_expected_server_error_keep_only_the_browsers_own_problems() -> None:
    item = seen_by_the_harness(marked_expect_server_error=True, browser_problems=["console error: boom ()"],
                               server_errors=[ServerError("GET", "/about", "Traceback")],
                               server_responses_5xx=["500 GET /about"])

    assert problems_of(item) == ["console error: boom ()"]


def test_problems_of_a_test_without_the_live_server_are_none() -> None:
    assert problems_of(SimpleNamespace(stash=pytest.Stash())) == []  # type: ignore[arg-type]
