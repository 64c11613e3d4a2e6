"""The run's HTML report and JUnit XML: one file for a run across xdist workers, checked in a real browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from flask_harness.run import report_html
from flask_harness.run.results import RunResults
from red_build_project import outcomes, run, write_project

MIXED_SUITE = """
import pytest
from attempts_counter import attempt
from flask_harness import step


def test_passes(client):
    with step("open the home page"):
        assert client.get("/").status_code == 200


def test_fails_in_a_step(client):
    with step("open the home page"):
        client.get("/")
    with step("find the missing page"):
        assert client.get("/missing").status_code == 200, "the page is missing"


def test_flaky(client):
    assert attempt("flaky") > 1, "fails on its first attempt only"


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


def test_server_error_on_the_live_server(live):
    from urllib.request import urlopen
    from urllib.error import HTTPError

    with pytest.raises(HTTPError):
        urlopen(live.url + "/boom")
"""

JOURNEY = """
from playwright.sync_api import expect


def test_journey_fails(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Tiny")).to_be_visible()
    page.evaluate("() => console.error('a console error from the page')")
    assert False, "the journey went wrong"
"""

EXPECTED = {
    "test_mixed.py::test_passes": "passed",
    "test_mixed.py::test_fails_in_a_step": "failed",
    "test_mixed.py::test_flaky": "flaky",
    "test_mixed.py::test_skipped": "skipped",
    "test_mixed.py::test_server_error_on_the_live_server": "failed",
    "test_journey.py::test_journey_fails[chromium]": "failed",
}



def outcomes_in_report(html: str) -> dict[str, str]:
    found = re.findall(r'<details class="test" data-outcome="(\w+)" data-name="[^"]*"[^>]*><summary>'
                       r'<span class="badge \w+">\w+</span><span class="name">([^<]+)</span>', html)
    return {name.replace("&quot;", '"'): outcome for outcome, name in found}


def test_one_report_for_a_run_on_two_workers_explains_each_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_mixed=MIXED_SUITE, test_journey=JOURNEY)

    result = run(pytester, monkeypatch, "-n", "2", "--reruns", "1", "--harness-report", "report.html",
                 "--junitxml", "junit.xml")

    assert outcomes(result) == {"passed": 2, "failed": 3, "skipped": 1, "rerun": 4}
    html = (pytester.path / "report.html").read_text()
    assert outcomes_in_report(html) == EXPECTED
    assert html.count('src="data:image/png;base64,') == 2  # the journey's two attempts
    journey = "test-results/test-journey-py-test-journey-fails-chromium"
    assert f"playwright show-trace {pytester.path}/{journey}/attempt-2/trace.zip" in html
    assert f'href="{journey}/attempt-1/trace.zip"' in html
    assert "console error: a console error from the page" in html
    assert "RuntimeError: the tiny app broke" in html  # the live server's traceback
    assert "GET /boom HTTP/1.1&quot; 500" in html  # the live server's log
    assert "✗</td><td>" in html
    assert "find the missing page — AssertionError: the page is missing" in html
    assert not re.search(r'(src|href)="(https?:)?//|<link|<script src', html)  # nothing fetched
    result.stdout.fnmatch_lines([f"flask-harness report: {pytester.path}/report.html"])

    cases = {case.get("name"): case for case in ET.parse(pytester.path / "junit.xml").iter("testcase")}
    journey_properties = {p.get("name"): p.get("value")
                          for p in cases["test_journey_fails[chromium]"].iter("property")}
    assert journey_properties["flask_harness_attempt1_trace"] == f"{journey}/attempt-1/trace.zip"
    assert journey_properties["flask_harness_attempt2_screenshot"] == f"{journey}/attempt-2/screenshot.png"


def sample_results(base: Path) -> RunResults:
    results = RunResults(base=base)

    def attempt(number: int, outcome: str) -> dict[str, Any]:
        return {"attempt": number, "outcome": outcome, "failed_phase": "call" if outcome == "failed" else "",
                "message": "AssertionError: no" if outcome == "failed" else "", "duration": 0.5,
                "steps": [{"name": "log in as alice", "depth": 0, "start": 0.0, "duration": 0.2, "error": ""}],
                "artifacts": [], "server_log": "", "server_errors": [], "browser_problems": []}

    results.add("tests/test_login.py::test_login", attempt(1, "passed"))
    results.add("tests/test_login.py::test_logout", attempt(1, "failed"))
    results.add("tests/test_posts.py::test_new_post", attempt(1, "failed"))
    results.add("tests/test_posts.py::test_new_post", attempt(2, "passed"))
    results.add("tests/test_posts.py::test_delete_post", attempt(1, "skipped"))
    return results


def test_the_report_filters_by_outcome_and_searches_by_name_from_the_file_system(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from flask_harness.browser.binary import find_executable, playwright_chromium_path

    report = report_html.write(sample_results(tmp_path), tmp_path / "report.html")
    executable = find_executable(None, playwright_chromium_path())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report.as_uri())
            tests = page.locator("details.test")
            expect(tests.filter(visible=True)).to_have_count(4)

            page.get_by_role("button", name="Flaky (1)").click()
            expect(tests.filter(visible=True)).to_have_count(1)
            expect(tests.filter(visible=True)).to_contain_text("test_new_post")

            page.get_by_role("button", name="All (4)").click()
            page.get_by_role("searchbox", name="Search tests by name").fill("LOG")
            expect(tests.filter(visible=True)).to_have_count(2)
            page.get_by_role("button", name="Skipped (1)").click()
            expect(page.get_by_text("No test matches.")).to_be_visible()
            assert requests == [report.as_uri()]  # nothing else: no server, no network
        finally:
            browser.close()
