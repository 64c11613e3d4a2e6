"""Running pytest for a benchmark and reading what bench.timer recorded."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The app's integration tests; the harness's own (integration/test_harness_*.py) each start a pytest
# subprocess, which would measure process start-up rather than the layer.
APP_INTEGRATION = ["integration", "--ignore-glob=integration/test_harness_*.py"]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/webapp")


@dataclass
class Run:
    """One pytest run: wall time, exit code, and per-test timings."""

    wall: float
    exit_code: int
    phases: dict[str, dict[str, float]]
    isolation: dict[str, float]
    output: str

    def per_test(self, *phases: str, skip_first: bool = True) -> list[float]:
        """Sum of the given phases per test, in run order (the first, paying session set-up, skipped)."""
        values = [sum(p.get(name, 0.0) for name in phases) for p in self.phases.values()]
        return values[1:] if skip_first and len(values) > 1 else values

    @property
    def passed(self) -> int:
        return sum(1 for p in self.phases.values() if "call" in p)


def run_pytest(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run pytest in a subprocess with bench.timer loaded; fail loudly if pytest fails."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        target = str(Path(tmp) / "timings")
        full_env = {**os.environ, **(env or {}), "BENCH_TIMINGS": target}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.timer", "-p", "no:randomly",
                   "-p", "no:cacheprovider", *args]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        phases: dict[str, dict[str, float]] = {}
        isolation: dict[str, float] = {}
        for path in Path(tmp).glob("timings.*.json"):
            data = json.loads(path.read_text())
            phases.update(data["phases"])
            isolation.update(data["isolation"])
    if done.returncode not in (0, 1):
        raise SystemExit(
            f"pytest {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return Run(wall, done.returncode, phases, isolation, done.stdout)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def mean_ms(values: list[float]) -> float:
    return statistics.fmean(values) * 1000 if values else float("nan")


def postgres_available() -> bool:
    """Whether the benchmark's PostgreSQL server answers."""
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL.replace("/webapp", "/postgres"), connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")
