"""Isolation cost per integration test: rollback (ours) versus the seed's drop_all/create_all.

Runs the app's integration tests twice per database, serially, and times the ``db`` fixture's
set-up plus teardown in each test. ``python -m bench.isolation [--quick]``
"""

from __future__ import annotations

from bench.common import (
    APP_INTEGRATION,
    POSTGRES_URL,
    QUICK,
    line,
    mean_ms,
    median_ms,
    postgres_available,
    run_pytest,
)

LAYER = ["integration/test_pages.py", "integration/test_posts.py"] if QUICK else APP_INTEGRATION


def compare(label: str, env: dict[str, str]) -> float:
    ours = run_pytest(LAYER, env)
    seed = run_pytest([*LAYER, "-p", "bench.seed_isolation"], env)
    ours_costs, seed_costs = ours.isolation_costs(), seed.isolation_costs()
    ratio = mean_ms(seed_costs) / mean_ms(ours_costs)
    print(f"{label}: {len(ours_costs)} tests with the db fixture")
    line("rollback (harness): mean / median per test", f"{mean_ms(ours_costs):7.2f} / {median_ms(ours_costs):6.2f} ms")
    line("drop_all + create_all (seed): mean / median per test",
         f"{mean_ms(seed_costs):7.2f} / {median_ms(seed_costs):6.2f} ms")
    line("ratio seed / rollback (goal >= 10x)", f"{ratio:7.1f}x")
    line("whole layer wall time: rollback vs seed", f"{ours.wall:6.1f} s vs {seed.wall:6.1f} s")
    return ratio


def main() -> None:
    print("Isolation overhead per integration test (same tests, serial, one run)")
    compare("SQLite", {"DATABASE_URL": ""})
    if postgres_available():
        compare("PostgreSQL", {"DATABASE_URL": POSTGRES_URL})
    else:
        print("PostgreSQL: not reachable, skipped")


if __name__ == "__main__":
    main()
