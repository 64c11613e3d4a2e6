"""The default trace policy, ``rerun-on-failure``: a passing journey records no trace; a failing one
is run once more, recording its trace, and stays failed whatever that run does.

The project's conftest writes each test that opens a trace chunk to ``chunks.txt`` (a spy on
Playwright's ``Tracing.start_chunk``, which the harness calls once per recorded test).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from apps_live import make_project, report_of

pytest.importorskip("pytest_rerunfailures", reason="rerun-on-failure runs the test again with pytest-rerunfailures")

SPY = """
import pytest
from playwright.sync_api._generated import Tracing

start_chunk = Tracing.start_chunk


def spying_start_chunk(self, *args, **kwargs):
    with open("chunks.txt", "a") as chunks:
        chunks.write(kwargs.get("title", "") + "\\n")
    return start_chunk(self, *args, **kwargs)


Tracing.start_chunk = spying_start_chunk
"""
JOURNEYS = """
from pathlib import Path

import pytest
from playwright.sync_api import expect


def test_0_no_trace_chunk_is_recording_in_a_new_context(page):
    page.goto("/")  # an open chunk would take DOM snapshots of this
    with pytest.raises(Exception, match="Must start tracing before stopping"):
        page.context.tracing.stop_chunk(path="open-chunk.zip")


def test_1_passes(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_2_fails_every_time(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Not on the page")).to_be_visible(timeout=300)


def test_3_fails_only_once(page):
    page.goto("/")
    first_run = not Path("ran-once").exists()
    Path("ran-once").touch()
    assert not first_run, "only the first run fails"


def test_4_passes(page, db):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

"""
ALWAYS = "test-results/test-journeys-py-test-2-fails-every-time-chromium"
ONCE = "test-results/test-journeys-py-test-3-fails-only-once-chromium"


def files_under(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def traced_tests(project: Path) -> list[str]:
    chunks = project / "chunks.txt"
    return sorted(line.rsplit("::", 1)[1] for line in chunks.read_text().split()) if chunks.exists() else []


def trace_events(trace: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(trace) as archive:
        return [json.loads(line) for name in archive.namelist() if name.endswith(".trace")
                for line in archive.read(name).decode().splitlines()]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_failing_journey_is_run_again_for_its_trace_and_stays_failed(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: list[str]) -> None:
    project = make_project(pytester, monkeypatch, trace=None, test_journeys=JOURNEYS)
    pytester.makeconftest(SPY)

    result = pytester.runpytest_subprocess(*workers)

    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("failed"), outcomes.get("rerun")) == (3, 2, 2), outcomes
    assert result.ret == 1
    # Only the second runs of the failing tests recorded a trace; the passing tests opened no chunk.
    assert traced_tests(project) == ["test_2_fails_every_time[chromium]", "test_3_fails_only_once[chromium]"]
    for folder in (ALWAYS, ONCE):
        files = files_under(project / folder)
        assert {"attempt-1/screenshot.png", "attempt-1/server.log", "attempt-2/trace.zip"} <= set(files), files
        assert "attempt-1/trace.zip" not in files
    events = trace_events(project / ALWAYS / "attempt-2" / "trace.zip")
    assert any(event["type"] == "frame-snapshot" for event in events)  # DOM snapshots
    assert any(event.get("method") == "goto" for event in events)
    assert not any(event.get("title") == "test_journeys.py::test_1_passes[chromium]" for event in events)
    with zipfile.ZipFile(project / ALWAYS / "attempt-2" / "trace.zip") as archive:
        network = archive.read("trace.network").decode()
    assert '"url":"http://127.0.0.1:' in network.replace(" ", "")  # the live server's answers
    once = report_of(result, "test_3_fails_only_once")
    assert "passed when it was run again to record its trace: the failure did not" in once
    assert "only the first run fails" in once  # the first run's own failure
    result.stdout.fnmatch_lines(["FAILED test_journeys.py::test_3_fails_only_once*"])


def test_with_retries_asked_for_the_first_retry_records_the_trace_and_a_pass_on_it_is_flaky(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(pytester, monkeypatch, trace=None, test_journeys=JOURNEYS)
    pytester.makeconftest(SPY)

    result = pytester.runpytest_subprocess("--reruns", "2")

    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("failed"), outcomes.get("rerun")) == (4, 1, 3), outcomes
    result.stdout.fnmatch_lines(["FLAKY test_journeys.py::test_3_fails_only_once*"])
    # Attempt 2 (the first retry) records; attempt 3 of the test failing every time does not.
    assert traced_tests(project) == ["test_2_fails_every_time[chromium]", "test_3_fails_only_once[chromium]"]
    assert "attempt-2/trace.zip" in files_under(project / ALWAYS)


def test_without_pytest_rerunfailures_every_attempt_records_its_trace(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(pytester, monkeypatch, trace=None, test_journeys=JOURNEYS)
    pytester.makeconftest(SPY)

    result = pytester.runpytest_subprocess("-p", "no:rerunfailures", "-k", "not no_trace_chunk")

    result.assert_outcomes(passed=2, failed=2)  # nothing runs the test failing once again
    assert len(traced_tests(project)) == 4
    assert {"trace.zip", "screenshot.png", "server.log"} <= set(files_under(project / ALWAYS))


def test_with_a_new_context_per_test_every_attempt_records_as_pytest_playwright_does(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-playwright traces the contexts it makes (``reuse_page = False``, video) and knows no rerun policy."""
    project = make_project(pytester, monkeypatch, trace=None, playwright_config="reuse_page = False\n",
                           test_journeys=JOURNEYS)

    result = pytester.runpytest_subprocess("-k", "not no_trace_chunk")

    result.assert_outcomes(passed=2, failed=2)
    assert "trace.zip" in files_under(project / ALWAYS)
