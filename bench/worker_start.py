"""A worker's start, per layer: from the process's start to its first test, and what fills the gap.

``python -m bench.worker_start [--postgres] [--quick]``: runs one file of each layer serially and
with ``-n 2``, in interleaved rounds, with ``-p bench.start_clock``; prints, per layer, the median
time from a process's start to each step of its start (pytest imported, installed plugins loaded,
conftest.py files imported, configured, collected, first test set up and called) and the session
fixtures that set up the first test (the app and the worker's database, the browser, the live
server...). Under ``-n 2`` the figures are the slower worker's. Fails loudly if any run fails.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import POSTGRES_URL, ROOT, line, sized
from bench.start_clock import STEPS

LAYERS = {
    "unit": ["unit/test_models.py"],
    "integration": ["integration/test_pages.py"],
    "e2e": ["e2e/test_navigation.py"],
}
SHOWN_FIXTURES = 6


def one_run(paths: list[str], workers: list[str], env: dict[str, str]) -> list[dict[str, dict[str, float]]]:
    """Each process's (worker's) marks and session fixture times."""
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        target = str(Path(tmp) / "start")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.start_clock", "-p", "no:randomly",
                   "-p", "no:cacheprovider", *workers, *paths]
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, **env, "BENCH_START": target},
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"pytest {' '.join(paths)} {' '.join(workers)} exited {done.returncode}:\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return [json.loads(path.read_text()) for path in Path(tmp).glob("start.*.json")]


def slowest_worker(processes: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """The process that reached its first test last (the controller of ``-n 2`` runs no test)."""
    testing = [p for p in processes if "first test called" in p["marks"]]
    return max(testing, key=lambda p: p["marks"]["first test called"])


def main() -> None:
    env = {"DATABASE_URL": POSTGRES_URL if "--postgres" in sys.argv else ""}
    label = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    modes = {"serial": [], "-n 2": ["-n", "2"]}
    rounds = sized(3, 1)
    samples: dict[tuple[str, str], list[dict[str, dict[str, float]]]] = {}
    for _ in range(rounds):
        for layer, paths in LAYERS.items():
            for mode, workers in modes.items():
                samples.setdefault((layer, mode), []).append(slowest_worker(one_run(paths, workers, env)))
    print(f"A worker's start on {label}: seconds from the process's start, median of {rounds} round(s)")
    for (layer, mode), runs in samples.items():
        print(f"  {layer}, {mode} ({' '.join(LAYERS[layer])}):")
        for mark in STEPS:
            values = [run["marks"][mark] for run in runs if mark in run["marks"]]
            line(f"  {mark}", f"{statistics.median(values):6.2f} s")
        names = {name for run in runs for name in run["fixtures"]}
        times = {name: statistics.median(run["fixtures"].get(name, 0.0) for run in runs) for name in names}
        for name, seconds in sorted(times.items(), key=lambda item: -item[1])[:SHOWN_FIXTURES]:
            line(f"    session fixture {name}", f"{seconds * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
