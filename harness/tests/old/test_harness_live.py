"""The live server and the browser fixtures of the harness.

Failure handling is seen from outside, in small projects run by pytester in a subprocess (one
Chromium launch per project); serving and logging in are checked in this process.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, expect

from factories import UserFactory
from harness.browser import capture_failure, problems_of
from harness.browsers import playwright_ffmpeg_path
from harness.live import LiveTest
from harness.live_server import LiveServer, LiveServerError, ServerError

pytestmark = pytest.mark.e2e

# -p playwright before -p harness.plugin: the harness's page, launch and context fixtures override
# pytest-playwright's only when registered after it (a -p plugin otherwise loads before entry points).
ADDOPTS = ["-p", "playwright", "-p", "harness.plugin", "-p", "no:randomly", "-p", "no:benchmark",
           "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:faker",
           "--strict-markers", "-W", "error"]


def write_project(pytester: pytest.Pytester, **test_files: str) -> None:
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'flask_app = "webapp:create_app"\n'
        f"addopts = {json.dumps(ADDOPTS)}\n"
    )
    pytester.makepyfile(**test_files)


def run_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    """Run the project on SQLite; artifacts go to its own test-results/ folder."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return pytester.runpytest_subprocess()


def artifact_folders(pytester: pytest.Pytester) -> list[str]:
    results = pytester.path / "test-results"
    return sorted(path.name for path in results.iterdir()) if results.exists() else []


# --- artifacts of a failing journey ----------------------------------------------------------------------

JOURNEYS = """
from playwright.sync_api import expect


def test_1_passing_journey(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome to Webapp")).to_be_visible()


def test_2_failing_journey(page):
    page.goto("/about")
    expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()
    assert False, "the journey went wrong"
"""


def test_failing_journey_keeps_its_artifacts_and_a_passing_journey_keeps_none(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_journeys=JOURNEYS)

    result = run_project(pytester, monkeypatch)

    folder = pytester.path / "test-results" / "test-journeys-py-test-2-failing-journey-chromium"
    result.assert_outcomes(passed=1, failed=1)
    assert artifact_folders(pytester) == [folder.name]
    assert sorted(path.name for path in folder.iterdir()) == ["screenshot.png", "server.log", "trace.zip"]
    result.stdout.fnmatch_lines([
        "*flask-harness artifacts*",
        f"{folder}/screenshot.png",
        f"{folder}/trace.zip",
        f"{folder}/server.log",
        f"open the trace with: playwright show-trace {folder}/trace.zip",
    ])
    server_log = (folder / "server.log").read_text()
    assert '"GET /about HTTP/1.1" 200' in server_log
    assert '"GET / HTTP/1.1"' not in server_log  # the passing journey's request, made before


# Resolved at import: pytester points HOME (where Playwright keeps its downloads) at a temporary folder.
FFMPEG = playwright_ffmpeg_path()


def test_video_of_a_failing_journey_is_kept_with_the_other_artifacts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not FFMPEG.exists():
        pytest.skip("no ffmpeg for Playwright: run python -m harness.browsers --install")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(FFMPEG.parent.parent))  # pytester moves HOME
    write_project(pytester, test_journeys=JOURNEYS)

    result = pytester.runpytest_subprocess("--video", "retain-on-failure", "-k", "failing")

    folder = pytester.path / "test-results" / "test-journeys-py-test-2-failing-journey-chromium"
    result.assert_outcomes(failed=1)
    assert {"video.webm", "trace.zip", "server.log"} <= {path.name for path in folder.iterdir()}
    assert (folder / "video.webm").stat().st_size > 0


# --- problems that fail a journey whose own assertions passed --------------------------------------------

SERVER_ERRORS = """
import pytest


def boom(*_args, **_kwargs):
    raise RuntimeError("boom from the about view")


def test_unexpected_server_error(page, monkeypatch):
    monkeypatch.setattr("webapp.main.views.render_template", boom)
    page.goto("/about")


@pytest.mark.expect_server_error
def test_expected_server_error(page, monkeypatch):
    monkeypatch.setattr("webapp.main.views.render_template", boom)
    response = page.goto("/about")
    assert response.status == 500
"""


def test_server_exception_fails_the_journey_with_its_traceback_unless_expected(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_server_errors=SERVER_ERRORS)

    result = run_project(pytester, monkeypatch)

    folder = pytester.path / "test-results" / "test-server-errors-py-test-unexpected-server-error-chromium"
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*The live app or the browser reported problems:",
        "",
        "server error on GET /about:",
        "Traceback (most recent call last):",
        "*",
        "RuntimeError: boom from the about view",
    ], consecutive=False)
    result.stdout.fnmatch_lines(["FAILED test_server_errors.py::test_unexpected_server_error*"])
    assert "RuntimeError: boom from the about view" in (folder / "server-errors.txt").read_text()
    assert artifact_folders(pytester) == [folder.name]  # the expected error keeps nothing


BROWSER_ERRORS = """
from playwright.sync_api import expect


def test_console_error(page):
    page.goto("/about")
    page.evaluate("console.error('boom')")
    expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()


def test_uncaught_page_error(page):
    page.goto("/about")
    page.evaluate("setTimeout(() => { document.title = 'thrown'; throw new Error('kaboom') })")
    expect(page).to_have_title("thrown")
"""


def test_console_error_and_uncaught_page_error_fail_the_journey_with_the_message(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_browser_errors=BROWSER_ERRORS)

    result = run_project(pytester, monkeypatch)

    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["console error: boom *"])
    result.stdout.fnmatch_lines(["uncaught page error: kaboom"])


# --- the live server, in this process --------------------------------------------------------------------


def test_live_url_serves_the_app(page: Page, live: LiveTest) -> None:
    page.goto(f"{live.url}/about")

    expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()


def test_a_row_made_by_a_factory_is_visible_in_the_browser_at_once(page: Page, db: Any) -> None:
    user = UserFactory(username="made_in_the_test")

    page.goto(f"/users/{user.username}")

    expect(page.get_by_role("heading", name="made_in_the_test", level=1)).to_be_visible()


def test_login_as_makes_the_dashboard_greet_the_user(page: Page, db: Any, login_as: Any) -> None:
    user = UserFactory()
    login_as(user)

    page.goto("/dashboard")

    expect(page.get_by_text(f"Hello, {user.username}!", exact=True)).to_be_visible()


# --- LiveServer on its own -------------------------------------------------------------------------------


def hello_app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def fetch(url: str) -> bytes:
    with urlopen(url, timeout=5) as response:
        return response.read()


def test_live_server_started_twice_on_port_0_serves_both_times(tmp_path: Path) -> None:
    server = LiveServer(hello_app, log_path=tmp_path / "server.log")
    bodies = []

    for _ in range(2):
        server.start()
        try:
            bodies.append(fetch(server.url))
        finally:
            server.stop()

    assert bodies == [b"hello", b"hello"]


def test_live_server_logs_requests_to_its_log_file(tmp_path: Path) -> None:
    server = LiveServer(hello_app, log_path=tmp_path / "server.log")
    server.start()
    offset = server.log_offset()
    try:
        fetch(f"{server.url}/logged")
        logged = server.log_since(offset)
    finally:
        server.stop()

    assert '"GET /logged HTTP/1.1" 200' in logged


def test_live_server_has_no_port_when_not_running() -> None:
    with pytest.raises(LiveServerError, match="not running"):
        _ = LiveServer(hello_app).port


@pytest.fixture
def taken_port() -> Iterable[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_live_server_on_a_port_in_use_raises_naming_it(tmp_path: Path, taken_port: int) -> None:
    server = LiveServer(hello_app, port=taken_port, log_path=tmp_path / "server.log")

    with pytest.raises(LiveServerError, match=f"could not bind 127.0.0.1:{taken_port}"):
        server.start()


def test_live_server_that_failed_to_start_leaves_no_log_handler(tmp_path: Path, taken_port: int) -> None:
    log_path = tmp_path / "server.log"
    server = LiveServer(hello_app, port=taken_port, log_path=log_path)
    with pytest.raises(LiveServerError):
        server.start()

    handlers = logging.getLogger("werkzeug").handlers

    assert [h for h in handlers if getattr(h, "baseFilename", None) == str(log_path)] == []


# --- what fails a browser test, and what is kept of it (fake test items) ---------------------------------

CHROMIUM_500 = ("console error: Failed to load resource: the server responded with a status of 500 "
                "(INTERNAL SERVER ERROR) (http://127.0.0.1:5000/about)")


def seen_by_the_harness(marked_expect_server_error: bool = False, **live: Any) -> Any:
    """A test item as the harness's hooks see it after a browser test."""
    state = SimpleNamespace(**{"browser_problems": [], "server_errors": [], "server_responses_5xx": [],
                               "server_log": lambda: "", **live})
    marker = pytest.mark.expect_server_error.mark if marked_expect_server_error else None
    return SimpleNamespace(_harness_live=state, get_closest_marker=lambda _name: marker)


def test_problems_of_an_unexpected_server_error_are_its_traceback_and_status() -> None:
    error = ServerError("GET", "/about", "Traceback (most recent call last):\nRuntimeError: boom\n")
    item = seen_by_the_harness(server_errors=[error], server_responses_5xx=["500 GET http://h/about"])

    assert problems_of(item) == [f"server error on GET /about:\n{error.traceback}",
                                 "server answered 500 GET http://h/about"]


def test_problems_of_an_expected_server_error_leave_out_the_browsers_report_of_it() -> None:
    item = seen_by_the_harness(
        marked_expect_server_error=True, browser_problems=[CHROMIUM_500],
        server_errors=[ServerError("GET", "/about", "Traceback")], server_responses_5xx=["500 GET /about"],
    )

    assert problems_of(item) == []


def test_problems_of_an_expected_server_error_keep_other_console_errors() -> None:
    item = seen_by_the_harness(marked_expect_server_error=True,
                               browser_problems=[CHROMIUM_500, "console error: boom ()"])

    assert problems_of(item) == ["console error: boom ()"]


def test_problems_of_a_test_without_the_live_server_are_none() -> None:
    assert problems_of(SimpleNamespace()) == []


def test_capture_failure_keeps_the_tests_server_log_and_errors(tmp_path: Path) -> None:
    item = seen_by_the_harness(server_log=lambda: "GET /about 500\n",
                               server_errors=[ServerError("GET", "/about", "RuntimeError: boom\n")])
    item._harness_output_path = str(tmp_path / "test-id")

    saved = capture_failure(item)

    assert saved == [tmp_path / "test-id" / "server.log", tmp_path / "test-id" / "server-errors.txt"]
    assert (tmp_path / "test-id" / "server.log").read_text() == "GET /about 500\n"
    assert (tmp_path / "test-id" / "server-errors.txt").read_text() == "GET /about\nRuntimeError: boom\n"


def test_capture_failure_of_a_test_without_a_page_keeps_nothing(tmp_path: Path) -> None:
    item = seen_by_the_harness()  # used the live server, never asked for a page

    assert capture_failure(item) == []
