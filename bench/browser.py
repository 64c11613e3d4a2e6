"""Per-test cost of a trivial journey, our harness versus pytest-playwright's defaults.

Runs bench/journeys (open /about, check the heading) in one process per variant, side by side:
  harness            reused page (state cleared), shared transaction rolled back, trace chunks
  harness, no trace  the same with --tracing off
  harness, commits   the live server commits for real, tables emptied after each test
  playwright default new context and page per test, database rebuilt per test, no trace
Also the live server's start time. ``python -m bench.browser [--postgres]``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import POSTGRES_URL, Run, line, mean_ms, run_pytest
from harness.appfactory import build_app, build_schema
from harness.live_server import LiveServer

JOURNEYS = "bench/journeys"


def per_test(run: Run) -> tuple[float, float]:
    """Mean per-test total and call-phase time (ms), the first test excluded."""
    return mean_ms(run.per_test("setup", "call", "teardown")), mean_ms(run.per_test("call"))


def live_server_start_ms(samples: int = 20) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/test_bench.sqlite"
        build_schema("webapp:create_app", url, {})
        app = build_app("webapp:create_app", {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": tmp})
        times = []
        for _ in range(samples):
            server = LiveServer(app, log_path=Path(tmp) / "server.log")
            start = time.perf_counter()
            server.start()
            times.append((time.perf_counter() - start) * 1000)
            server.stop()
    return statistics.median(times)


def main() -> None:
    env = {"DATABASE_URL": POSTGRES_URL if "--postgres" in sys.argv else ""}
    label = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    runs = {
        "harness (defaults)": run_pytest([JOURNEYS], env),
        "harness, --tracing off": run_pytest([JOURNEYS, "--tracing", "off"], env),
        "harness, live_commit (real commits)": run_pytest([JOURNEYS, "-p", "bench.live_commit"], env),
        "pytest-playwright defaults": run_pytest(
            [JOURNEYS, "-p", "bench.playwright_defaults", "--tracing", "off", "--screenshot", "off"], env),
    }
    baseline, _ = per_test(runs["pytest-playwright defaults"])
    print(f"Trivial journey (goto + expect heading) on {label}, "
          f"{runs['harness (defaults)'].passed} tests per variant, first test excluded:")
    for name, run in runs.items():
        total, _ = per_test(run)
        line(f"{name}: per test", f"{total:7.1f} ms  ({total / baseline:4.2f}x of defaults)")
    ours, floor = per_test(runs["harness (defaults)"])
    line("floor: the test body itself (goto + expect), harness run", f"{floor:7.1f} ms")
    line("harness overhead over the floor (set-up + teardown)", f"{ours - floor:7.1f} ms")
    line("goal: harness / defaults <= 0.5x", f"{ours / baseline:7.2f}x")
    line("live server ready (start(), median of 20; goal <= 200 ms)", f"{live_server_start_ms():7.1f} ms")


if __name__ == "__main__":
    main()
