"""A pytest plugin for benchmarks: per-test phase durations and the rollback fixture's own cost
(``flask_harness_db`` with its ``db`` alias).

Loaded with ``-p bench.timer``; writes JSON to the file named by ``BENCH_TIMINGS`` (one file per
xdist worker: the worker id is appended).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import pytest

from bench.common import write_worker_json

_phases: dict[str, dict[str, float]] = defaultdict(dict)
_isolation: dict[str, float] = defaultdict(float)
# The harness's rollback fixture and its ``db`` alias (which a suite, or the seed's isolation, overrides).
ISOLATION_FIXTURES = ("flask_harness_db", "db")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: pytest.FixtureRequest) -> Any:
    if fixturedef.argname not in ISOLATION_FIXTURES:
        return (yield)
    nodeid = request.node.nodeid
    start = time.perf_counter()
    try:
        return (yield)
    finally:
        _isolation[nodeid] += time.perf_counter() - start
        # Finalizers run last-in first-out: this one runs just before the fixture's teardown.
        fixturedef.addfinalizer(lambda: _teardown_started.__setitem__(nodeid, time.perf_counter()))


_teardown_started: dict[str, float] = {}


def pytest_fixture_post_finalizer(fixturedef: Any, request: pytest.FixtureRequest) -> None:
    if fixturedef.argname not in ISOLATION_FIXTURES:
        return
    started = _teardown_started.pop(request.node.nodeid, None)
    if started is not None:
        _isolation[request.node.nodeid] += time.perf_counter() - started


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _phases[report.nodeid][report.when] = report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    write_worker_json(session, "BENCH_TIMINGS", {"phases": _phases, "isolation": _isolation})
