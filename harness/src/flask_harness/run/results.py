"""The run's results, gathered where the run is reported (the xdist controller, or the only process).

One entry per test: its attempts' records (from ``attempts``) and a verdict: passed, failed,
skipped, or flaky (failed, then passed on a retry). Saved as JSON in a shard's bundle and read
back by ``python -m flask_harness merge``.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from flask_harness.run.attempts import RECORD_ATTRIBUTE

FORMAT_VERSION = 1
OUTCOMES = ("failed", "flaky", "passed", "skipped")


def verdict(attempts: list[dict[str, Any]]) -> str:
    """The test's outcome from its attempts: the last one's, or flaky when a retry passed."""
    last = attempts[-1]["outcome"]
    if last == "passed" and any(attempt["outcome"] == "failed" for attempt in attempts[:-1]):
        return "flaky"
    return str(last)


@dataclass
class RunResults:
    """Every test's attempts, in the order they finished; JSON in and out."""

    tests: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Where the artifact paths of the records are relative to (the rootdir, or a bundle folder).
    base: Path = field(default_factory=Path.cwd)

    def add(self, nodeid: str, record: dict[str, Any]) -> None:
        self.tests.setdefault(nodeid, []).append(record)

    def outcomes(self) -> dict[str, str]:
        return {nodeid: verdict(attempts) for nodeid, attempts in self.tests.items()}

    def with_outcome(self, outcome: str) -> list[str]:
        return [nodeid for nodeid, attempts in self.tests.items() if verdict(attempts) == outcome]

    def counts(self) -> dict[str, int]:
        found = list(self.outcomes().values())
        return {outcome: found.count(outcome) for outcome in OUTCOMES}

    def environment(self) -> dict[str, list[str]]:
        """What the run's tests ran against (app, database, browser): each one's distinct values."""
        found: dict[str, set[str]] = {}
        for attempts in self.tests.values():
            for record in attempts:
                for key, value in record.get("environment", {}).items():  # older bundles have none
                    found.setdefault(key, set()).add(value)
        return {key: sorted(values) for key, values in found.items()}

    def durations(self) -> dict[str, float]:
        """Seconds per test, all attempts included (pytest-split's ``.test_durations`` format).

        The first test of each worker also paid the session's set-up (the app, the databases, the
        browser); every shard pays that once whichever tests it gets, so that test is counted with
        a typical set-up instead, or the split would give its shard too little work.
        """
        durations = {nodeid: sum(a["duration"] for a in attempts) for nodeid, attempts in self.tests.items()}
        setups = [a.get("setup_duration", 0.0) for attempts in self.tests.values() for a in attempts]
        typical = statistics.median(setups) if setups else 0.0
        firsts: dict[tuple[str, str], str] = {}
        for nodeid, attempts in self.tests.items():
            firsts.setdefault((str(attempts[0].get("base", "")), str(attempts[0].get("worker", "main"))), nodeid)
        for nodeid in firsts.values():
            extra = self.tests[nodeid][0].get("setup_duration", 0.0) - typical
            durations[nodeid] -= max(extra, 0.0)
        return {nodeid: round(seconds, 4) for nodeid, seconds in durations.items()}

    def to_json(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, "tests": [
            {"nodeid": nodeid, "outcome": verdict(attempts), "attempts": attempts}
            for nodeid, attempts in self.tests.items()]}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, base: Path) -> RunResults:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"{path}: results format {data.get('version')!r}, expected {FORMAT_VERSION}")
        results = cls(base=base)
        for test in data["tests"]:
            for record in test["attempts"]:
                record.setdefault("base", str(base))
                results.add(test["nodeid"], record)
        return results

    def absorb(self, other: RunResults) -> None:
        """Add another run's tests (a shard), remembering where their files are."""
        for nodeid, attempts in other.tests.items():
            for record in attempts:
                self.add(nodeid, {**record, "base": record.get("base", str(other.base))})


RESULTS = pytest.StashKey[RunResults]()


class ResultsCollector:
    """Gathers each attempt's record from the reports the controller (or the only process) sees."""

    def __init__(self, results: RunResults) -> None:
        self.results = results

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, RECORD_ATTRIBUTE, None)
        if report.when == "teardown" and isinstance(record, dict):
            record["worker"] = str(getattr(report, "worker_id", None) or "main")  # set by xdist
            self.results.add(report.nodeid, record)


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # workers send their records to the controller on the reports
    results = RunResults(base=config.rootpath)
    config.stash[RESULTS] = results
    config.pluginmanager.register(ResultsCollector(results), "flask_harness.results_collector")


def of(config: pytest.Config) -> RunResults | None:
    """The run's results, on the process that reports the run (None on an xdist worker)."""
    return config.stash.get(RESULTS, None)
