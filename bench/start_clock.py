"""A pytest plugin for benchmarks: when each process (or xdist worker) reached each step of its start.

Loaded with ``-p bench.start_clock``; writes JSON to ``$BENCH_START.<worker>.json``: seconds since
the process started (from ``/proc``, 10 ms resolution) for each step of its start (see ``STEPS``),
and the set-up time of each session-scoped fixture (its own, without the fixtures it asked for).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bench.common import write_worker_json


def _process_started() -> float:
    """This process's start, as a ``time.time()`` value (Linux; else: when this module was imported)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as system:
            boot = next(int(row.split()[1]) for row in system if row.startswith("btime"))
    except (OSError, ValueError, StopIteration):
        return time.time()
    return boot + ticks / os.sysconf("SC_CLK_TCK")


STEPS = (
    "pytest imported",  # ``-p`` plugins such as this one are imported before the installed ones
    "installed plugins loaded",
    "conftest.py files imported",  # the project's, and the app they import
    "configured",  # every plugin's pytest_configure
    "collected",
    "first test set up",  # from here: the first test's fixtures (app, database, browser, server)
    "first test called",
)
STARTED = _process_started()
marks: dict[str, float] = {"pytest imported": time.time() - STARTED}
fixtures: dict[str, float] = {}


def _mark(name: str) -> None:
    marks.setdefault(name, time.time() - STARTED)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    _mark("installed plugins loaded")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    _mark("conftest.py files imported")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _mark("configured")


def pytest_collection_finish(session: pytest.Session) -> None:
    _mark("collected")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _mark("first test set up")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    _mark("first test called")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    if fixturedef.scope != "session":
        return (yield)
    start = time.perf_counter()
    try:
        return (yield)
    finally:
        fixtures[fixturedef.argname] = fixtures.get(fixturedef.argname, 0.0) + time.perf_counter() - start


def pytest_sessionfinish(session: pytest.Session) -> None:
    write_worker_json(session, "BENCH_START", {"started": STARTED, "marks": marks, "fixtures": fixtures})
