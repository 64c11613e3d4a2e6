"""One record per attempt of a test: outcome, duration, steps, kept files, what the server and browser met.

Runs where the test runs (a worker under xdist). The record travels to the controller on the
attempt's teardown report (``report.flask_harness_attempt``, plain JSON data, which xdist
serialises like pytest-rerunfailures' ``report.rerun``); the kept files also go to
``user_properties`` so that pytest's ``--junitxml`` lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flask_harness.live.fixtures import LIVE_TEST, SAVED_ARTIFACTS, log_without_tracebacks

RECORD_ATTRIBUTE = "flask_harness_attempt"
PHASES = pytest.StashKey[dict[str, dict[str, Any]]]()
MAX_TEXT = 20_000  # characters of a failure or a log kept in a record; the files hold the rest

ARTIFACT_KINDS = {".zip": "trace", ".png": "screenshot", ".webm": "video"}
NAMED_ARTIFACTS = {"server.log": "server log", "server-errors.txt": "server tracebacks"}


def attempt_number(item: pytest.Item) -> int:
    """1 for the first run of a test, 2 for its first retry (pytest-rerunfailures' count)."""
    return int(getattr(item, "execution_count", 1) or 1)


def is_retried(item: pytest.Item) -> bool:
    """Whether pytest-rerunfailures runs this test (``--reruns`` or a ``flaky`` marker)."""
    return hasattr(item, "execution_count")


def attempt_folder(item: pytest.Item, test_folder: Path) -> Path:
    """``<test folder>/attempt-N`` when the test may be retried, else the test's folder itself."""
    return test_folder / f"attempt-{attempt_number(item)}" if is_retried(item) else test_folder


def artifact_kind(path: Path) -> str:
    return NAMED_ARTIFACTS.get(path.name) or ARTIFACT_KINDS.get(path.suffix, "file")


def report_path(config: pytest.Config, path: Path | str) -> str:
    """A kept file's path for reports: relative to the rootdir when inside it, posix separators."""
    path = Path(path)
    try:
        return path.resolve().relative_to(config.rootpath.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _forget(item: pytest.Item, key: pytest.StashKey[Any]) -> None:
    if key in item.stash:
        del item.stash[key]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Forget the previous attempt's per-test state: a retry starts clean."""
    for key in (PHASES, SAVED_ARTIFACTS, LIVE_TEST):
        _forget(item, key)


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
    from flask_harness.run import steps

    phases = item.stash.get(PHASES, {})
    outcome, failed_phase, message = attempt_outcome(phases)
    files = [Path(path) for path in item.stash.get(SAVED_ARTIFACTS, [])]
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
        "duration": round(sum(phase["duration"] for phase in phases.values()), 4),
        "setup_duration": round(phases.get("setup", {}).get("duration", 0.0), 4),
        "steps": steps.records_of(item),
        "artifacts": artifacts,
        "server_log": "",
        "server_errors": [],
        "browser_problems": [],
    }
    live = item.stash.get(LIVE_TEST, None)
    if live is not None and outcome == "failed":
        record["server_log"] = log_without_tracebacks(live.server_log())[-MAX_TEXT:]
        record["server_errors"] = [f"{e.method} {e.path}\n{e.traceback}" for e in live.server_errors]
        record["browser_problems"] = list(live.browser_problems) + [
            f"server answered {line}" for line in live.server_responses_5xx]
    return record


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember each phase; at teardown, attach the attempt's record (and its files for JUnit)."""
    report: Any = yield
    item.stash.setdefault(PHASES, {})[report.when] = _phase(report)
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
