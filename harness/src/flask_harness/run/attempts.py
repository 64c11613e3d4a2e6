"""One record per attempt of a test, and the harness's one report wrapper.

Runs where the test runs (a worker under xdist). For each phase, ``pytest_runtest_makereport``
here asks every wing to add to the report (the ``pytest_flask_harness_report`` hook: files to
keep, sections), then lists the files the test kept. At teardown it attaches the attempt's
record to the report (``report.flask_harness_attempt``, plain JSON data, which xdist serialises
like pytest-rerunfailures' ``report.rerun``); the kept files also go to ``user_properties`` so
that pytest's ``--junitxml`` lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flask_harness.run.artifacts import (
    TestRecord,
    artifact_kind,
    attempt_number,
    record_of,
    report_path,
    start,
)
from flask_harness.run.trace_policy import keep_first_verdict

RECORD_ATTRIBUTE = "flask_harness_attempt"
MAX_TEXT = 20_000  # characters of a failure or a log kept in a record; the files hold the rest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A new record for this attempt: a retry starts clean."""
    start(item)


def _phase(report: pytest.TestReport) -> dict[str, Any]:
    message = ""
    if report.failed:
        message = str(report.longreprtext)[-MAX_TEXT:]
    elif report.skipped and isinstance(report.longrepr, tuple):
        message = str(report.longrepr[2])
    return {"outcome": report.outcome, "duration": report.duration, "message": message}


def attempt_outcome(phases: dict[str, dict[str, Any]]) -> tuple[str, str, str]:
    """(outcome, failed phase, message) of one attempt from its setup, call and teardown."""
    for when in ("setup", "call", "teardown"):
        phase = phases.get(when)
        if phase and phase["outcome"] == "failed":
            return "failed", when, phase["message"]
    for phase in phases.values():
        if phase["outcome"] == "skipped":
            return "skipped", "", phase["message"]
    return "passed", "", ""


def build_record(item: pytest.Item, report: pytest.TestReport) -> dict[str, Any]:
    """This attempt's record, made at its teardown report."""
    test = record_of(item)
    outcome, failed_phase, message = attempt_outcome(test.phases)
    files = list(test.kept)
    files += [Path(str(value)) for name, value in report.user_properties
              if name in ("playwright_video", "playwright_screenshot", "playwright_trace")]
    artifacts: list[dict[str, str]] = []
    for path in files:
        entry = {"kind": artifact_kind(path), "path": report_path(item.config, path)}
        if path.exists() and entry not in artifacts:
            artifacts.append(entry)
    record: dict[str, Any] = {
        "attempt": attempt_number(item),
        "outcome": outcome,
        "failed_phase": failed_phase,
        "message": message,
        "duration": round(sum(phase["duration"] for phase in test.phases.values()), 4),
        "setup_duration": round(test.phases.get("setup", {}).get("duration", 0.0), 4),
        "steps": [dict(step) for step in test.steps],
        "artifacts": artifacts,
        "server_log": "",
        "server_errors": [],
        "browser_problems": [],
        "environment": dict(test.environment),
    }
    if test.evidence is not None and outcome == "failed":
        evidence = test.evidence()
        record["server_log"] = evidence["server_log"][-MAX_TEXT:]
        record["server_errors"] = evidence["server_errors"]
        record["browser_problems"] = evidence["browser_problems"]
    return record


def _list_kept_files(report: Any, test: TestRecord) -> None:
    lines = [str(path) for path in test.kept]
    lines += [f"open the trace with: playwright show-trace {path}" for path in test.kept if path.suffix == ".zip"]
    report.sections.append(("flask-harness artifacts", "\n".join(lines)))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """The harness's only report wrapper: the wings add to the report, then the kept files and the record.

    Order: pytest (and pytest-playwright) make the report; a test run again for its trace keeps
    its first run's verdict (``run.trace_policy``); the ``pytest_flask_harness_report``
    implementations run (the browser's files first, the live server's side last); then a failing
    test with an artifact folder lists every kept file; at teardown the attempt's record is attached.
    """
    report: Any = yield
    keep_first_verdict(item, report)
    test = record_of(item)
    test.phases[report.when] = _phase(report)
    item.config.hook.pytest_flask_harness_report(item=item, report=report, call=call)
    if report.when == "call" and report.failed and test.has_artifacts:
        _list_kept_files(report, test)
    if report.when == "teardown":
        record = build_record(item, report)
        setattr(report, RECORD_ATTRIBUTE, record)
        for artifact in record["artifacts"]:
            prop = (f"flask_harness_attempt{record['attempt']}_{artifact['kind'].replace(' ', '_')}",
                    artifact["path"])
            if prop not in item.user_properties:
                item.user_properties.append(prop)
                report.user_properties.append(prop)
    return report  # type: ignore[no-any-return]
