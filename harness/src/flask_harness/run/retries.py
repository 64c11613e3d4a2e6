"""Retries with pytest-rerunfailures: the flaky verdict in the summary, ``--fail-on-flaky``.

``--reruns N`` (pytest-rerunfailures) runs a failing test again; every attempt keeps its own files
in ``<test folder>/attempt-N/``. A test that fails and then passes is **flaky**: listed in the
terminal summary and the report. pytest-rerunfailures' ``--fail-on-flaky`` makes a flaky run exit
7; this module makes that hold under xdist too, where the controller runs no test itself.
"""

from __future__ import annotations

import pytest

from flask_harness.run import results as run_results

FLAKY_EXIT_CODE = 7  # pytest-rerunfailures' code for --fail-on-flaky


def _describe_attempts(attempts: list[dict[str, object]]) -> str:
    return ", ".join(f"attempt {a['attempt']} {a['outcome']}" for a in attempts)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    """List flaky tests, their attempts, and the files a failed attempt kept."""
    results = run_results.of(config)
    if results is None:
        return
    flaky = results.with_outcome("flaky")
    if not flaky:
        return
    terminalreporter.write_sep("=", f"{len(flaky)} flaky (failed, then passed on a retry)", yellow=True)
    for nodeid in flaky:
        attempts = results.tests[nodeid]
        terminalreporter.write_line(f"FLAKY {nodeid} ({_describe_attempts(attempts)})")
        for attempt in attempts:
            for artifact in attempt["artifacts"]:
                terminalreporter.write_line(f"    attempt {attempt['attempt']} {artifact['kind']}: {artifact['path']}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """``--fail-on-flaky``: a run whose tests all passed, some only on a retry, fails (also under xdist)."""
    results = run_results.of(session.config)
    if (results is not None and getattr(session.config.option, "fail_on_flaky", False)
            and session.exitstatus == 0 and results.with_outcome("flaky")):
        session.exitstatus = FLAKY_EXIT_CODE
