"""The run's report: one HTML file (``--harness-report``) and a result bundle per shard (``--harness-bundle``).

Both are written by the process that sees every test (the xdist controller, or the only process).
``merge`` turns the bundles of N shards into one report and one JUnit file
(``python -m flask_harness merge``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flask_harness.run import results as run_results
from flask_harness.run.results import RunResults

RESULTS_FILE = "results.json"
DURATIONS_FILE = "durations.json"
REPORTS_WRITTEN = pytest.StashKey[list[tuple[str, Path]]]()


def _path(config: pytest.Config, option: str, ini: str | None = None) -> Path | None:
    value = config.getoption(option) or (config.getini(ini) if ini else None)
    return (config.invocation_params.dir / value) if value else None


def write_bundle(results: RunResults, folder: Path, label: str = "") -> Path:
    """Results, durations and a copy of every kept file (same relative paths) in ``folder``."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for attempts in results.tests.values():
        for record in attempts:
            for artifact in record["artifacts"]:
                relative = Path(artifact["path"])
                source = Path(record.get("base") or results.base) / relative
                if not relative.is_absolute() and source.is_file():
                    target = folder / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)
    data = results.to_json()
    data["label"] = label
    (folder / RESULTS_FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")
    (folder / DURATIONS_FILE).write_text(json.dumps(results.durations(), indent=1, sort_keys=True), encoding="utf-8")
    return folder


def merge(bundles: list[Path]) -> RunResults:
    """Every bundle's tests in one result; each record remembers the bundle that holds its files."""
    merged = RunResults(base=Path.cwd())
    for bundle in bundles:
        results_file = bundle / RESULTS_FILE
        if not results_file.is_file():
            raise FileNotFoundError(f"{bundle} is not a result bundle: no {RESULTS_FILE} in it")
        merged.absorb(RunResults.load(results_file, base=bundle.resolve()))
    return merged


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the report and the bundle the run asked for."""
    config = session.config
    results = run_results.of(config)
    if results is None:
        return
    written = config.stash.setdefault(REPORTS_WRITTEN, [])
    bundle = _path(config, "--harness-bundle")
    if bundle is not None:
        shard = getattr(config.option, "shard", None) or ""
        written.append(("result bundle", write_bundle(results, bundle, label=shard)))
    report = _path(config, "--harness-report", "flask_harness_report")
    if report is not None:
        from flask_harness.run import report_html

        written.append(("report", report_html.write(results, report)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    results = run_results.of(config)
    environment = results.environment() if results is not None else {}
    # What the tests ran against, from their records: the database with its driver, the browser launched.
    ran_against = [f"{key} " + ", ".join(environment[key]) for key in ("database", "browser") if key in environment]
    if ran_against:
        terminalreporter.write_line("flask-harness: ran against " + "; ".join(ran_against))
    for label, path in config.stash.get(REPORTS_WRITTEN, []):
        terminalreporter.write_line(f"flask-harness {label}: {path}")


def merge_command(bundles: list[Path], html: Path | None, junit: Path | None, durations: Path | None,
                  fail_on_flaky: bool = False) -> int:
    """``python -m flask_harness merge``: one report and one JUnit file from N bundles; the run's exit code."""
    import json

    from flask_harness.run import junit_xml, report_html

    try:
        results = merge(bundles)
    except (FileNotFoundError, ValueError) as exc:
        print(f"merge: {exc}")
        return 4  # pytest's usage-error code
    if html is not None:
        report_html.write(results, html)
    if junit is not None:
        junit_xml.write(results, junit)
    if durations is not None:
        durations.parent.mkdir(parents=True, exist_ok=True)
        durations.write_text(json.dumps(results.durations(), indent=1, sort_keys=True), encoding="utf-8")
    counts = results.counts()
    print(f"merged {len(bundles)} bundles: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    for path in (html, junit, durations):
        if path is not None:
            print(f"wrote {path}")
    if counts["failed"]:
        return 1
    from flask_harness.run.retries import FLAKY_EXIT_CODE

    return FLAKY_EXIT_CODE if fail_on_flaky and counts["flaky"] else 0
