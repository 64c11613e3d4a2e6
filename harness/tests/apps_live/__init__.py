"""Pytester projects for the live-server and browser tests: the tiny app, its settings, a run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# Quiet Chromium on a closed network.
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
ADDOPTS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:faker", "-p", "no:time_machine",
           "--strict-markers"]
REAL_HOME = Path.home()


def make_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *,
                 playwright_config: str | None = "", addopts: list[str] | None = None,
                 trace: str | None = "retain-on-failure", **test_files: str) -> Path:
    """A project on SQLite with ``liveapp``, ``playwright.config.py`` and the given test files.

    ``trace``: the config's trace policy; these projects test what a first failed attempt keeps, so
    ``retain-on-failure`` unless a test asks for another (None: the harness's default).
    """
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP", "PYTEST_ADDOPTS",
                 "FLASK_HARNESS_BROWSER_PATH", "PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        monkeypatch.delenv(name, raising=False)
    # pytester moves HOME; Playwright finds the ffmpeg that video needs under the real one.
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", os.environ.get(
        "PLAYWRIGHT_BROWSERS_PATH", str(REAL_HOME / ".cache" / "ms-playwright")))
    (pytester.path / "liveapp.py").write_text((HERE / "liveapp.py").read_text())
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'flask_app = "liveapp:create_app"\n'
        f"addopts = {json.dumps([*ADDOPTS, *(addopts or [])])}\n"
        'filterwarnings = ["error"]\n'
    )
    if playwright_config is not None:
        policy = f"trace = {trace!r}\n" if trace else ""
        (pytester.path / "playwright.config.py").write_text(
            f"chromium_args = {CHROMIUM_ARGS!r}\n{policy}{playwright_config}")
    if test_files:
        pytester.makepyfile(**test_files)
    return pytester.path


def artifact_folders(pytester: pytest.Pytester) -> list[str]:
    """Names of the folders under the project's ``test-results``."""
    results = pytester.path / "test-results"
    return sorted(path.name for path in results.iterdir()) if results.exists() else []


def report_of(result: pytest.RunResult, test_name: str) -> str:
    """The failure report of one test: from its ``___ name ___`` header to the next header."""
    lines = result.stdout.lines
    start = next((i for i, line in enumerate(lines) if line.startswith("_") and f" {test_name}" in line), None)
    assert start is not None, f"no failure report of {test_name}"
    end = next((i for i, line in enumerate(lines[start + 1:], start + 1)
                if (line.startswith("___") and line.endswith("___")) or line.startswith("=====")), len(lines))
    return "\n".join(lines[start:end])


def section_of(report: str, title: str) -> str:
    """One ``--- title ---`` section of a test's report."""
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("-") and f" {title} " in line), None)
    assert start is not None, f"no {title!r} section in the report:\n{report}"
    end = next((i for i, line in enumerate(lines[start + 1:], start + 1) if line.startswith("-----")), len(lines))
    return "\n".join(lines[start + 1:end])
