"""The whole pyramid (unit, integration, e2e), serial and ``-n auto``, side by side.

The start-up (from pytest's start to the last worker's first test: imports, the app, the worker's
database, the browser) is shown apart, and the speed-up without it. ``python -m bench.pyramid
[--postgres] [--quick]``
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import POSTGRES_URL, QUICK, Run, line, run_pytest

# --quick: a slice of each layer, enough to prove the bench runs.
QUICK_SLICE = ["unit", "integration/test_pages.py", "e2e/test_navigation.py"]


def layer_counts(phases: dict[str, dict[str, float]]) -> Counter[str]:
    return Counter(nodeid.split("/", 1)[0] for nodeid, p in phases.items() if "call" in p)


def timed_start(args: list[str], env: dict[str, str]) -> tuple[Run, float]:
    """The run, and its start-up: seconds from pytest's start until the last process's first test."""
    with tempfile.TemporaryDirectory(prefix="bench-pyramid-") as tmp:
        run = run_pytest(["-p", "bench.start_clock", *args], {**env, "BENCH_START": f"{tmp}/start"})
        processes = [json.loads(path.read_text()) for path in Path(tmp).glob("start.*.json")]
    began = min(p["started"] for p in processes)  # the controller, or the only process
    firsts = [p["started"] + p["marks"]["first test called"] for p in processes if "first test called" in p["marks"]]
    return run, max(firsts) - began


def main() -> None:
    env = {"DATABASE_URL": POSTGRES_URL if "--postgres" in sys.argv else ""}
    label = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    paths = QUICK_SLICE if QUICK else []
    serial, serial_start = timed_start(paths, env)
    parallel, parallel_start = timed_start([*paths, "-n", "auto"], env)
    counts = layer_counts(serial.phases)
    print(f"Whole suite on {label}: " + ", ".join(f"{n} {layer}" for layer, n in sorted(counts.items())))
    line("serial wall time", f"{serial.wall:7.1f} s  (exit {serial.exit_code})")
    line("-n auto wall time", f"{parallel.wall:7.1f} s  (exit {parallel.exit_code})")
    line("  start-up serial (pytest's start to the first test)", f"{serial_start:7.1f} s")
    line("  start-up -n auto (to the last worker's first test)", f"{parallel_start:7.1f} s")
    line("speed-up serial / -n auto (goal: not slower, >= 1.0x)", f"{serial.wall / parallel.wall:7.2f}x")
    line("speed-up with each run's start-up set apart",
         f"{(serial.wall - serial_start) / (parallel.wall - parallel_start):7.2f}x")


if __name__ == "__main__":
    main()
