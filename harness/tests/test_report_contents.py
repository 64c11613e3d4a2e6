"""What the HTML report shows of a failure: the server's traceback once, exception first and the
app's frames before the framework's, a screenshot as a thumbnail, and what the run ran against."""

from __future__ import annotations

import re

import pytest

from flask_harness.browser.binary import find_executable, playwright_chromium_path
from red_build_project import outcomes, run, write_project

SERVER_ERROR = """
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest


def test_server_error(live):
    with pytest.raises(HTTPError):
        urlopen(live.url + "/boom")
"""
JOURNEY = """
def test_journey_fails(page):
    page.goto("/")
    assert False, "the journey went wrong"
"""
DATABASE = """
def test_database(db):
    pass
"""


def report_of_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, **tests: str) -> str:
    write_project(pytester, **tests)
    run(pytester, monkeypatch, "--harness-report", "report.html", *args)
    return (pytester.path / "report.html").read_text()


def test_the_server_traceback_is_shown_once(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    html = report_of_run(pytester, monkeypatch, test_server=SERVER_ERROR)

    assert html.count('raise RuntimeError(&quot;the tiny app broke&quot;)') == 1
    # the failure's box points at it, with the exception's line
    assert "server error on GET /boom: RuntimeError: the tiny app broke (traceback under Server tracebacks)" in html


def test_the_server_traceback_shows_the_exception_then_the_app_frames_then_the_framework_collapsed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = report_of_run(pytester, monkeypatch, test_server=SERVER_ERROR)

    tracebacks = html[html.index("Server tracebacks"):]
    exception = tracebacks.index('<p class="exception">RuntimeError: the tiny app broke</p>')
    app_frame = tracebacks.index("tinyapp.py")
    collapsed = tracebacks.index("<details class=\"framework\"><summary>")
    flask_frame = re.search(r"File &quot;[^&]*/flask/app\.py&quot;", tracebacks)
    assert flask_frame is not None
    assert exception < app_frame < collapsed < flask_frame.start()


def test_the_screenshot_is_a_thumbnail_that_links_to_the_full_image(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect, sync_playwright

    report_of_run(pytester, monkeypatch, test_journey=JOURNEY)

    screenshot = pytester.path / "test-results/test-journey-py-test-journey-fails-chromium/screenshot.png"
    assert screenshot.is_file()
    executable = find_executable(None, playwright_chromium_path())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto((pytester.path / "report.html").as_uri())
            thumbnail = page.get_by_role("img", name="screenshot of attempt 1")
            expect(thumbnail).to_be_visible()
            box = thumbnail.bounding_box()
            assert box is not None
            assert box["width"] <= 320
            assert box["height"] <= 240
            link = page.get_by_role("link", name="screenshot of attempt 1")
            expect(link).to_have_attribute("href", "test-results/test-journey-py-test-journey-fails-chromium/"
                                                   "screenshot.png")
            link.click()
            expect(page).to_have_url(screenshot.as_uri())
        finally:
            browser.close()


def test_the_header_names_the_app_the_database_and_its_driver_and_the_browser_on_two_workers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_journey=JOURNEY, test_database=DATABASE)

    result = run(pytester, monkeypatch, "-n", "2", "--harness-report", "report.html")

    assert outcomes(result) == {"passed": 1, "failed": 1}
    header = (pytester.path / "report.html").read_text().split("</header>")[0]
    assert "App: <code>tinyapp:create_app</code>" in header
    assert re.search(r"Database: <code>sqlite\+pysqlite:///[^<]+</code>", header)
    executable = find_executable(None, playwright_chromium_path()) or playwright_chromium_path()
    assert re.search(rf"Browser: <code>chromium \d+\.[\d.]+ \({re.escape(str(executable))}\)</code>", header)
