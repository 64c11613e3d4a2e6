"""Parallel scaling of the integration layer: ``-n 2`` versus serial, side by side.

The app's integration tests are scaled up by running each ``BENCH_REPEAT`` times (bench.repeat) to
at least 2,000 tests (200 under --quick). The fixed
start-up cost of ``-n auto`` (workers, template, worker databases) is measured separately on a
single test. ``python -m bench.parallel [--postgres] [--quick]``
"""

from __future__ import annotations

import math
import re
import sys

from bench.common import APP_INTEGRATION, POSTGRES_URL, line, run_pytest, sized

TARGET_TESTS = sized(2000, 200)
LAYER = APP_INTEGRATION
SINGLE_TEST = "integration/test_pages.py::test_home_page_contains_welcome_message"


def main() -> None:
    env = {"DATABASE_URL": POSTGRES_URL if "--postgres" in sys.argv else ""}
    label = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    base = run_pytest([*LAYER, "--collect-only"], env)
    collected = int(re.search(r"(\d+) tests? collected", base.output).group(1))
    repeat = max(1, math.ceil(TARGET_TESTS / max(collected, 1)))
    env["BENCH_REPEAT"] = str(repeat)
    serial = run_pytest([*LAYER, "-p", "bench.repeat"], env)
    parallel = run_pytest([*LAYER, "-p", "bench.repeat", "-n", "2"], env)
    env["BENCH_REPEAT"] = "1"
    one_serial = run_pytest([SINGLE_TEST], env)
    one_parallel = run_pytest([SINGLE_TEST, "-n", "auto"], env)
    print(f"Integration layer on {label}, scaled to {serial.passed} tests ({collected} x {repeat}):")
    line("serial wall time", f"{serial.wall:7.1f} s")
    line("-n 2 wall time", f"{parallel.wall:7.1f} s")
    line("speed-up serial / -n 2 (goal >= 1.6x)", f"{serial.wall / parallel.wall:7.2f}x")
    startup = one_parallel.wall - one_serial.wall
    line("fixed start-up cost of -n auto (1 test: -n auto minus serial)", f"{startup:7.2f} s")
    line("speed-up with that start-up cost removed", f"{serial.wall / max(parallel.wall - startup, 0.001):7.2f}x")


if __name__ == "__main__":
    main()
