"""Named steps of a test: ``with step("log in as alice"):``.

Each step is timed and recorded on the test (``item.stash``); a failing test's report says which
step failed and how long each took, the run's HTML report lists them, and when the attempt records
a Playwright trace the step is a group in it (``tracing.group``). Works without a browser too.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

import pytest

from flask_harness.run.artifacts import record_of

# The test being run: ``step()`` is a plain function, so it finds its test here.
_CURRENT_TEST: ContextVar[pytest.Item | None] = ContextVar("flask_harness_current_test", default=None)


@contextmanager
def step(name: str) -> Iterator[None]:
    """Time a named part of a test; it shows in the failure report, the HTML report and the trace."""
    item = _CURRENT_TEST.get()
    if item is None:  # outside a test (a script, a session fixture at exit): just run the block
        yield
        return
    test = record_of(item)
    open_steps = test.open_steps
    record: dict[str, Any] = {
        "name": name, "depth": len(open_steps),
        "start": round(time.perf_counter() - test.started, 4),
        "duration": 0.0, "error": "",
    }
    test.steps.append(record)
    open_steps.append(record)
    tracing = _tracing_of(item)
    if tracing is not None:
        try:
            tracing.group(name)
        except Exception:  # a closed context or no chunk: the step still counts, the trace misses it
            tracing = None
    started = time.perf_counter()
    try:
        yield
    except BaseException as exc:
        record["error"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        raise
    finally:
        record["duration"] = round(time.perf_counter() - started, 4)
        open_steps.pop()
        if tracing is not None:
            with suppress(Exception):  # the page was closed inside the step
                tracing.group_end()


def _tracing_of(item: pytest.Item) -> Any:
    """The tracing of the test's browser context, when this attempt records a trace."""
    if "playwright.sync_api" not in sys.modules:
        return None
    from playwright.sync_api import BrowserContext, Page

    from flask_harness.run.trace_policy import records_trace

    if not records_trace(item):
        return None
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, Page):
            return value.context.tracing
        if isinstance(value, BrowserContext):
            return value.tracing
    return None


def describe(records: list[dict[str, Any]]) -> str:
    """Steps as report lines: time, mark, indented name, and the error of the step that failed."""
    lines = []
    for record in records:
        mark = "FAILED" if record["error"] else "ok"
        line = f"{record['duration']:7.2f}s {mark:6} {'  ' * record['depth']}{record['name']}"
        if record["error"]:
            line += f"  <- {record['error']}"
        lines.append(line)
    return "\n".join(lines)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Steps from here on belong to this test (its fixtures included); they go to the attempt's record."""
    _CURRENT_TEST.set(item)


def pytest_flask_harness_report(item: pytest.Item, report: Any) -> None:
    """A failing phase's report lists the test's steps and marks the one that failed."""
    records = record_of(item).steps
    if report.failed and report.when in ("setup", "call") and records:
        report.sections.append(("steps", describe(records)))
