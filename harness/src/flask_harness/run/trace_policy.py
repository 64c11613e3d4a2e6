"""The trace policy: which attempt of a test records a Playwright trace, and which keeps it.

``--tracing`` takes Playwright Test's modes, and the harness's default, ``rerun-on-failure``: no
attempt records a trace until a browser test fails; that test is then run once more, at once,
recording it (pytest-rerunfailures runs it: a fresh transaction and a cleaned page make the second
run safe), and its verdict stays failed whatever the second run does. A passing test pays nothing
for traces: a recorded chunk with DOM snapshots costs a trivial journey 11 to 31 ms here
(``python -m bench.trace_profile``). A failed attempt keeps any trace it recorded.
"""

from __future__ import annotations

from typing import Any

import pytest

from flask_harness.run.artifacts import attempt_number

RERUN_ON_FAILURE = "rerun-on-failure"
# Playwright Test's trace modes, per attempt: does it record a trace, and does it keep it when the
# attempt passed? (A failed attempt keeps any trace it recorded.)
TRACE_POLICIES: dict[str, tuple[str, str]] = {
    "off": ("never", "never"),
    "on": ("always", "always"),
    "retain-on-failure": ("always", "never"),
    "on-first-retry": ("first retry", "always"),
    "retain-on-failure-and-retries": ("always", "retries"),
    RERUN_ON_FAILURE: ("first retry", "always"),
}
BROWSER_FIXTURES = ("page", "page_as")
# The test was given one run more, to record its trace (not a retry: its verdict is the first run's).
TRACE_RERUN = pytest.StashKey[bool]()
FIRST_FAILURE = pytest.StashKey[str]()
RERUN_PASSED = (
    "The test failed, then passed when it was run again to record its trace: the failure did not "
    "repeat (it may be flaky). The first run's failure, whose screenshot and server log are in attempt-1/:\n\n")


def trace_policy(config: pytest.Config) -> str:
    return str(getattr(config.option, "tracing", None) or "off")


def _reruns(item: pytest.Item) -> int | None:
    """pytest-rerunfailures' reruns for the item (``--reruns``, a ``flaky`` marker); None: not asked."""
    plugin = item.config.pluginmanager.get_plugin("rerunfailures")
    return None if plugin is None else plugin.get_reruns_count(item)


def _item_policy(item: pytest.Item) -> str:
    """The policy for this test: ``rerun-on-failure`` records every attempt where nothing can run it again."""
    policy = trace_policy(item.config)
    if policy == RERUN_ON_FAILURE and not item.stash.get(TRACE_RERUN, False) and not _reruns(item):
        return "retain-on-failure"
    return policy


def records_trace(item: pytest.Item) -> bool:
    """Whether this attempt of the test records a Playwright trace."""
    record, _keep = TRACE_POLICIES.get(_item_policy(item), ("never", "never"))
    return record == "always" or (record == "first retry" and attempt_number(item) == 2)


def keeps_passing_trace(item: pytest.Item) -> bool:
    """Whether this attempt keeps its trace although it passed."""
    _record, keep = TRACE_POLICIES.get(_item_policy(item), ("never", "never"))
    return keep == "always" or (keep == "retries" and attempt_number(item) > 1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``rerun-on-failure``, each browser test nobody retries gets one run more, for its trace.

    Not without pytest-rerunfailures, nor under ``--pdb`` (which it refuses), nor under
    pytest-timeout's ``--timeout`` (a hung test would hang again): every attempt then records its
    trace, as ``retain-on-failure`` does.
    """
    if (trace_policy(config) != RERUN_ON_FAILURE or not config.pluginmanager.has_plugin("rerunfailures")
            or config.option.usepdb or getattr(config.option, "timeout", None)):
        return
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in BROWSER_FIXTURES) and _reruns(item) is None:
            item.add_marker(pytest.mark.flaky(reruns=1))
            item.stash[TRACE_RERUN] = True


def keep_first_verdict(item: pytest.Item, report: Any) -> None:
    """A test run again for its trace keeps the first run's verdict: failed, even if the second run passed."""
    if not item.stash.get(TRACE_RERUN, False):
        return
    attempt = attempt_number(item)
    if attempt == 1 and report.failed and FIRST_FAILURE not in item.stash:
        item.stash[FIRST_FAILURE] = str(report.longreprtext)
    elif attempt == 2 and report.when == "call" and report.passed and FIRST_FAILURE in item.stash:
        report.outcome = "failed"
        report.longrepr = RERUN_PASSED + item.stash[FIRST_FAILURE]
