"""Per-test cost of a trivial journey, our harness versus pytest-playwright's defaults.

Runs bench/journeys (open /about, check the heading) in one process per variant, side by side:
  harness            reused page (state cleared), shared transaction rolled back, the default trace
                     policy (rerun-on-failure: a passing test records nothing)
  harness, no trace  the same with --tracing off
  harness, retain    the same with --tracing retain-on-failure (every test records a trace chunk)
  harness, commits   the live server commits for real, tables emptied after each test
  playwright default new context and page per test, database rebuilt per test, no trace
Also the live server's start time. ``python -m bench.browser [--postgres] [--quick]``

The variants run in rounds, each round in another order (the first run of a bench pays for cold
caches, and the machine is shared): a variant's figure is its median over the rounds, and the
trace's cost per passing test is the median of each round's (defaults minus ``--tracing off``), and
so is the cost of recording every test (``retain-on-failure`` minus ``--tracing off``).
"""

from __future__ import annotations

import statistics
import sys
import time

import flask_harness

from bench.common import POSTGRES_URL, Run, bench_app, line, mean_ms, run_pytest, sized

JOURNEYS = "bench/journeys"


def per_test(run: Run) -> tuple[float, float]:
    """Mean per-test total and call-phase time (ms), the first test excluded."""
    return mean_ms(run.per_test("setup", "call", "teardown")), mean_ms(run.per_test("call"))


def live_server_start_ms(samples: int = 20) -> float:
    with bench_app() as (app, folder):
        times = []
        for _ in range(samples):
            server = flask_harness.LiveServer(app, log_path=folder / "server.log")
            start = time.perf_counter()
            server.start()
            times.append((time.perf_counter() - start) * 1000)
            server.stop()
    return statistics.median(times)


VARIANTS = {
    "harness (defaults)": [JOURNEYS],
    "harness, --tracing off": [JOURNEYS, "--tracing", "off"],
    "harness, --tracing retain-on-failure": [JOURNEYS, "--tracing", "retain-on-failure"],
    "harness, live_commit (real commits)": [JOURNEYS, "-p", "bench.live_commit"],
    "pytest-playwright defaults": [JOURNEYS, "-p", "bench.playwright_defaults", "--tracing", "off",
                                   "--screenshot", "off"],
}


def run_rounds(env: dict[str, str], rounds: int) -> list[dict[str, Run]]:
    """Every variant once per round; round r starts with the r-th variant."""
    names = list(VARIANTS)
    results = []
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        results.append({name: run_pytest(VARIANTS[name], env) for name in order})
    return results


def main() -> None:
    env = {"DATABASE_URL": POSTGRES_URL if "--postgres" in sys.argv else "",
           "BENCH_JOURNEYS": str(sized(40, 4))}
    label = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    rounds = run_rounds(env, sized(7, 1))  # the spread between rounds here is ±30 ms: 3 were too few
    totals = {name: statistics.median(per_test(r[name])[0] for r in rounds) for name in VARIANTS}
    baseline = totals["pytest-playwright defaults"]
    print(f"Trivial journey (goto + expect heading) on {label}, {rounds[0]['harness (defaults)'].passed} "
          f"tests per variant, first test excluded, median of {len(rounds)} round(s):")
    for name, total in totals.items():
        line(f"{name}: per test", f"{total:7.1f} ms  ({total / baseline:4.2f}x of defaults)")
    ours = totals["harness (defaults)"]
    floor = statistics.median(per_test(r["harness (defaults)"])[1] for r in rounds)
    def minus_off(name: str) -> float:
        return statistics.median(per_test(r[name])[0] - per_test(r["harness, --tracing off"])[0] for r in rounds)

    trace, recorded = minus_off("harness (defaults)"), minus_off("harness, --tracing retain-on-failure")
    line("floor: the test body itself (goto + expect), harness run", f"{floor:7.1f} ms")
    line("harness overhead over the floor (set-up + teardown)", f"{ours - floor:7.1f} ms")
    line("trace per passing test: defaults - off (goal <= 10 ms)", f"{trace:7.1f} ms")
    line("a trace recorded for every test: retain-on-failure - off", f"{recorded:7.1f} ms")
    line("goal: harness / defaults <= 0.5x", f"{ours / baseline:7.2f}x")
    line("live server ready (start(), median of 20; goal <= 200 ms)", f"{live_server_start_ms(sized(20, 3)):7.1f} ms")


if __name__ == "__main__":
    main()
