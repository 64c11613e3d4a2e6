"""Steps: timed, named parts of a test, in the failure report and in the Playwright trace."""

from __future__ import annotations

import zipfile

import pytest

from red_build_project import run, write_project

STEPS_WITHOUT_BROWSER = """
from flask_harness import step


def test_checkout(client):
    with step("open the shop"):
        assert client.get("/").status_code == 200
        with step("count the notes"):
            pass
    with step("pay"):
        assert client.get("/missing").status_code == 200, "payment page missing"
    with step("never reached"):
        pass
"""

STEPS_IN_A_JOURNEY = """
from flask_harness import step
from playwright.sync_api import expect


def test_journey_with_steps(page):
    with step("open the home page"):
        page.goto("/")
    with step("check the heading"):
        expect(page.get_by_role("heading", name="Tiny")).to_be_visible()
    page.evaluate("console.log('said on the console')")
    assert False, "fails after its steps"
"""


def test_a_failing_test_report_lists_its_steps_and_marks_the_one_that_failed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_shop=STEPS_WITHOUT_BROWSER)

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*- steps -*",
        "*s ok     open the shop",
        "*s ok       count the notes",
        "*s FAILED pay  <- AssertionError: payment page missing",
    ])
    assert "never reached" not in result.stdout.str()


def test_step_works_outside_a_test() -> None:
    from flask_harness import step

    with step("a script's step"):
        ran = True

    assert ran


def test_a_failing_journeys_trace_has_its_steps_dom_snapshots_network_and_console(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, test_journey=STEPS_IN_A_JOURNEY)

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    trace = pytester.path / "test-results" / "test-journey-py-test-journey-with-steps-chromium" / "trace.zip"
    with zipfile.ZipFile(trace) as archive:
        events = "".join(archive.read(name).decode("utf-8", "replace")
                         for name in archive.namelist() if name.endswith(".trace"))
        network = "".join(archive.read(name).decode("utf-8", "replace")
                          for name in archive.namelist() if name.endswith(".network"))
    assert '"open the home page"' in events
    assert '"check the heading"' in events
    # What the trace viewer shows besides the steps: the page's DOM at each action, the network, the console.
    assert '"type":"frame-snapshot"' in events
    assert '"url":"http://127.0.0.1:' in network
    assert "said on the console" in events
    result.stdout.fnmatch_lines(["*s ok     open the home page", "*s ok     check the heading"])
