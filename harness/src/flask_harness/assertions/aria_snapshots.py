"""ARIA snapshot assertions against YAML baselines: the ``expect_aria_snapshot`` fixture.

A baseline is ``<test file>-snapshots/<name>.aria.yml``, holding what ``locator.aria_snapshot()``
returned. It is matched with Playwright's own ``to_match_aria_snapshot``, so a baseline edited
into a template (regular expressions, parts left out) keeps working; ``--update-snapshots``
replaces only a baseline that no longer matches.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Protocol

import pytest

from flask_harness.assertions.baselines import (
    baseline_lock,
    describe_path,
    per_project,
    safe_name,
    snapshot_folder,
    updating,
    write_atomic,
)
from flask_harness.run.artifacts import keep, record_of

if TYPE_CHECKING:
    from playwright.sync_api import Locator


class ExpectAriaSnapshot(Protocol):
    """``expect_aria_snapshot(locator, "name")``: the locator's accessibility tree matches its baseline."""

    def __call__(self, locator: Locator, name: str, *, timeout: float | None = None) -> None: ...


def unified_diff(expected: str, actual: str, expected_name: str) -> str:
    """A readable diff from the baseline to what the page shows now."""
    lines = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                 fromfile=expected_name, tofile="page now", lineterm="")
    return "\n".join(lines)


@pytest.fixture
def expect_aria_snapshot(request: pytest.FixtureRequest) -> ExpectAriaSnapshot:
    """Assert that a locator's ARIA snapshot matches its YAML baseline (``--update-snapshots`` rewrites it).

    A missing baseline is written and the test fails, saying so.
    """
    from playwright.sync_api import expect

    item = request.node
    config = request.config

    def _expect_aria_snapshot(locator: Locator, name: str, *, timeout: float | None = None) -> None:
        __tracebackhide__ = True
        baseline = snapshot_folder(item) / f"{per_project(item, safe_name(name))}.aria.yml"
        shown = describe_path(config, baseline)
        if baseline.exists():
            expected = baseline.read_text(encoding="utf-8")
            try:
                expect(locator).to_match_aria_snapshot(expected, timeout=timeout)
                return
            except AssertionError:
                actual = locator.aria_snapshot(timeout=timeout)
            if not updating(config):
                kept = keep_failure(item, safe_name(name), expected, actual)
                raise AssertionError(f"ARIA snapshot {name!r} does not match {shown}:\n"
                                     f"{unified_diff(expected, actual, shown)}\n"
                                     f"{kept}If the change is intended, run pytest --update-snapshots.") from None
        else:
            actual = locator.aria_snapshot(timeout=timeout)
        with baseline_lock(config, baseline):
            existed = baseline.exists()
            write_atomic(baseline, (actual.rstrip("\n") + "\n").encode("utf-8"))
        if not existed and not updating(config):
            raise AssertionError(f"No baseline for ARIA snapshot {name!r}: wrote {shown}. "
                                 "Check it, commit it, and run the test again.")

    return _expect_aria_snapshot


def keep_failure(item: pytest.Item, name: str, expected: str, actual: str) -> str:
    """Keep both snapshots for a failing test of a live page; return a line naming them."""
    if not record_of(item).has_artifacts:
        return ""
    paths = [keep(item, f"{name}-expected.aria.yml", expected), keep(item, f"{name}-actual.aria.yml", actual)]
    return f"Kept: {', '.join(map(str, paths))}\n"
