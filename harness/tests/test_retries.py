"""Retries: every attempt keeps its own files, a test that fails then passes is flaky, traces by policy."""

from __future__ import annotations

import pytest

from red_build_project import files_in, outcomes, run, write_project

pytestmark = pytest.mark.filterwarnings("error")

JOURNEYS = """
from attempts_counter import attempt
from playwright.sync_api import expect
from tinyapp import Note


def test_flaky_journey(page):
    number = attempt("flaky")
    page.goto(f"/?attempt={number}")
    expect(page.get_by_role("heading", name="Tiny")).to_be_visible()
    assert number > 1, "fails on its first attempt only"


def test_failing_journey(page):
    number = attempt("failing")
    page.goto(f"/?attempt={number}")
    assert False, f"fails on every attempt ({number})"


def test_fresh_state_on_every_attempt(page, db):
    number = attempt("fresh")
    page.goto("/")
    if number == 1:
        db.session.add(Note(text="left by attempt 1"))
        db.session.flush()
        page.context.add_cookies([{"name": "left", "value": "1", "url": page.url}])
        page.evaluate("() => localStorage.setItem('left', '1')")
        page.reload()
        expect(page.locator("#count")).to_have_text("1 notes")
        assert False, "leaves state behind, then fails"
    expect(page.locator("#count")).to_have_text("0 notes")
    assert page.context.cookies() == []
    assert page.evaluate("() => localStorage.getItem('left')") is None
"""

FLAKY_ONLY = """
from attempts_counter import attempt
from playwright.sync_api import expect


def test_flaky_journey(page):
    number = attempt("flaky")
    page.goto(f"/?attempt={number}")
    expect(page.get_by_role("heading", name="Tiny")).to_be_visible()
    assert number > 1, "fails on its first attempt only"
"""

FOLDER = "test-journeys-py-test-{}-chromium"


def test_each_attempt_keeps_its_own_files_and_a_test_passing_on_retry_is_flaky(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_journeys=JOURNEYS)

    result = run(pytester, monkeypatch, "--reruns", "2")

    assert outcomes(result) == dict(passed=2, failed=1, rerun=4)
    results = pytester.path / "test-results"
    flaky = results / FOLDER.format("flaky-journey")
    assert files_in(flaky) == ["attempt-1"]  # attempt 2 passed: nothing kept
    assert files_in(flaky / "attempt-1") == ["screenshot.png", "server.log", "trace.zip"]
    failing = results / FOLDER.format("failing-journey")
    assert files_in(failing) == ["attempt-1", "attempt-2", "attempt-3"]
    for number in (1, 2, 3):
        attempt = failing / f"attempt-{number}"
        assert files_in(attempt) == ["screenshot.png", "server.log", "trace.zip"]
        log = (attempt / "server.log").read_text()
        assert f"GET /?attempt={number} " in log  # this attempt's requests, and only them
        assert [n for n in (1, 2, 3) if f"attempt={n} " in log] == [number]
    result.stdout.fnmatch_lines([
        "*2 flaky (failed, then passed on a retry)*",
        "FLAKY test_journeys.py::test_flaky_journey[[]chromium[]] (attempt 1 failed, attempt 2 passed)",
        f"    attempt 1 trace: test-results/{flaky.name}/attempt-1/trace.zip",
    ])
    assert "FLAKY test_journeys.py::test_failing_journey" not in result.stdout.str()
    assert "FLAKY test_journeys.py::test_fresh_state" in result.stdout.str()


def test_fail_on_flaky_fails_a_run_whose_tests_passed_on_a_retry_also_under_xdist(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_journeys=FLAKY_ONLY)

    result = run(pytester, monkeypatch, "--reruns", "1", "--fail-on-flaky", "-n", "1")

    assert outcomes(result) == dict(passed=1, rerun=1)
    assert result.ret == 7  # pytest-rerunfailures' exit code for --fail-on-flaky
    result.stdout.fnmatch_lines(["FLAKY test_journeys.py::test_flaky_journey*"])


@pytest.mark.parametrize(("policy", "kept"), [
    ("on-first-retry", {"attempt-1": ["screenshot.png", "server.log"], "attempt-2": ["trace.zip"]}),
    ("retain-on-failure-and-retries",
     {"attempt-1": ["screenshot.png", "server.log", "trace.zip"], "attempt-2": ["trace.zip"]}),
])
def test_trace_policies_for_retries_record_and_keep_traces_per_attempt(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, policy: str, kept: dict[str, list[str]]
) -> None:
    write_project(pytester, playwright_config=f'trace = "{policy}"\n', test_journeys=FLAKY_ONLY)

    result = run(pytester, monkeypatch, "--reruns", "1")

    assert outcomes(result) == dict(passed=1, rerun=1)
    folder = pytester.path / "test-results" / FOLDER.format("flaky-journey")
    assert {name: files_in(folder / name) for name in files_in(folder)} == kept


def test_without_reruns_files_stay_in_the_test_folder(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_journeys=FLAKY_ONLY)

    result = run(pytester, monkeypatch)

    result.assert_outcomes(failed=1)
    folder = pytester.path / "test-results" / FOLDER.format("flaky-journey")
    assert files_in(folder) == ["screenshot.png", "server.log", "trace.zip"]


def test_with_a_context_per_test_pytest_playwrights_files_also_go_to_attempt_folders(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, playwright_config="reuse_page = False\n", test_journeys=FLAKY_ONLY)

    result = run(pytester, monkeypatch, "--reruns", "1", "--harness-report", "report.html")

    assert outcomes(result) == dict(passed=1, rerun=1)
    folder = pytester.path / "test-results" / FOLDER.format("flaky-journey")
    assert files_in(folder) == ["attempt-1"]
    assert files_in(folder / "attempt-1") == ["server.log", "test-failed-1.png", "trace.zip"]
    report = (pytester.path / "report.html").read_text()
    assert 'data-outcome="flaky"' in report
    assert f"{folder.name}/attempt-1/trace.zip" in report
