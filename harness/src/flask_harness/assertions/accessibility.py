"""Accessibility assertions with axe-core: the ``expect_accessible`` fixture.

Violations at or above a chosen impact fail the test. A baseline of known violations,
``<test file>-snapshots/<name>.axe.json`` (rule id + element target), lets a project adopt the
check today and only ever tighten it: a violation not in the baseline fails; one in the baseline
that is gone also fails, asking to shrink the baseline with ``--update-snapshots`` (so a fixed
violation cannot come back unnoticed). ``--update-snapshots`` writes a missing baseline and
shrinks one, but never grows it. Needs the ``visual`` extra (axe-playwright-python).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

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

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

IMPACTS = ("minor", "moderate", "serious", "critical")
AXE_HINT = "expect_accessible needs the visual extra: pip install 'pytest-flask-harness[visual]'."


@dataclass(frozen=True, order=True)
class Violation:
    """One element breaking one axe-core rule."""

    rule: str
    target: str
    impact: str
    help: str
    help_url: str

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.target

    def describe(self) -> str:
        return f"  {self.rule} ({self.impact}) at {self.target}: {self.help}\n    {self.help_url}"

    def as_baseline(self) -> dict[str, str]:
        return {"rule": self.rule, "target": self.target, "impact": self.impact, "help": self.help}


class ExpectAccessible(Protocol):
    """``expect_accessible(page, name="home", impact="serious", baseline=True)``."""

    def __call__(self, page: Page, name: str | None = None, *, impact: str = "serious",
                 baseline: bool = True, context: str | list[str] | dict[str, Any] | None = None,
                 options: dict[str, Any] | None = None) -> None: ...


def violations_of(results: dict[str, Any], impact: str) -> list[Violation]:
    """axe-core's violations at or above ``impact``, one per element, sorted."""
    lowest = IMPACTS.index(impact)
    found = set()
    for violation in results["violations"]:
        if IMPACTS.index(violation.get("impact") or "minor") < lowest:
            continue
        for node in violation["nodes"]:
            # A target is a list of selectors when the element is inside iframes or shadow roots.
            target = " >>> ".join(" ".join(part) if isinstance(part, list) else part for part in node["target"])
            found.add(Violation(violation["id"], target, violation["impact"], violation["help"],
                                violation["helpUrl"]))
    return sorted(found)


def read_baseline(path: Path) -> set[tuple[str, str]]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {(entry["rule"], entry["target"]) for entry in entries}


def baseline_bytes(violations: list[Violation]) -> bytes:
    return (json.dumps([v.as_baseline() for v in violations], indent=2) + "\n").encode("utf-8")


def run_axe(page: Page, context: str | list[str] | dict[str, Any] | None,
            options: dict[str, Any] | None) -> dict[str, Any]:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as exc:
        raise pytest.UsageError(f"{AXE_HINT} ({exc})") from None
    results = Axe().run(page, context=context, options={"resultTypes": ["violations"], **(options or {})})
    response: dict[str, Any] = results.response
    return response


@pytest.fixture
def expect_accessible(request: pytest.FixtureRequest) -> ExpectAccessible:
    """Assert that axe-core finds no violation at or above ``impact`` beyond the page's baseline.

    With ``baseline=False`` every such violation fails; with a baseline (the default) ``name``
    names its file.
    """
    item = request.node
    config = request.config

    def _expect_accessible(page: Page, name: str | None = None, *, impact: str = "serious",
                           baseline: bool = True, context: str | list[str] | dict[str, Any] | None = None,
                           options: dict[str, Any] | None = None) -> None:
        __tracebackhide__ = True
        if impact not in IMPACTS:
            raise pytest.UsageError(f"expect_accessible: impact must be one of {', '.join(IMPACTS)}, got {impact!r}.")
        if baseline and not name:
            raise pytest.UsageError("expect_accessible: give the page a name (its baseline file), "
                                    "or pass baseline=False.")
        found = violations_of(run_axe(page, context, options), impact)
        if not baseline:
            if found:
                raise AssertionError(report(f"axe-core found on {page.url}", found))
            return
        path = snapshot_folder(item) / f"{per_project(item, safe_name(name or ''))}.axe.json"
        check_against_baseline(config, path, found, page.url)

    return _expect_accessible


def check_against_baseline(config: pytest.Config, path: Path, found: list[Violation], url: str) -> None:
    """New violations fail; fixed ones fail until the baseline is shrunk; the baseline never grows."""
    __tracebackhide__ = True
    shown = describe_path(config, path)
    with baseline_lock(config, path):
        if not path.exists():
            write_atomic(path, baseline_bytes(found))
            if updating(config):
                return
            raise AssertionError(f"No accessibility baseline: wrote {shown} with {len(found)} known "
                                 "violation(s). Check it, commit it, and run the test again.")
        known = read_baseline(path)
        current = {v.key for v in found}
        new = [v for v in found if v.key not in known]
        fixed = sorted(known - current)
        if new:
            raise AssertionError(report(f"axe-core found new violations on {url} (not in {shown})", new)
                                 + "\nFix them; --update-snapshots never adds violations to a baseline.")
        if fixed and updating(config):
            write_atomic(path, baseline_bytes(found))
            return
        if fixed:
            listing = "\n".join(f"  {rule} at {target}" for rule, target in fixed)
            raise AssertionError(f"Violations in {shown} are fixed on {url}:\n{listing}\n"
                                 "Run pytest --update-snapshots to remove them from the baseline, so that "
                                 "they cannot come back unnoticed.")


def report(title: str, violations: list[Violation]) -> str:
    return f"{title}:\n" + "\n".join(v.describe() for v in violations)
