"""What the ``reset_sequences`` marker costs per test, per database, against plain rollback.

Runs the app's integration tests twice per database in one run, serially: as they are, and with
every test marked ``reset_sequences`` (``-p bench.mark_reset_sequences``), and compares the ``db``
fixture's set-up plus teardown per test. The marker restarts the counter of each of the app's
tables, so its cost grows with the number of tables, not with the test.
``python -m bench.reset_sequences [--quick]``; fails loudly if any pytest run fails.
"""

from __future__ import annotations

from bench.common import (
    APP_INTEGRATION,
    MARIADB_URL,
    POSTGRES_URL,
    QUICK,
    line,
    mean_ms,
    median_ms,
    run_pytest,
    server_available,
)

LAYER = ["integration/test_pages.py", "integration/test_posts.py"] if QUICK else APP_INTEGRATION


def compare(label: str, env: dict[str, str]) -> None:
    plain = run_pytest(LAYER, env)
    marked = run_pytest([*LAYER, "-p", "bench.mark_reset_sequences"], env)
    plain_costs, marked_costs = plain.isolation_costs(), marked.isolation_costs()
    print(f"{label}: {len(plain_costs)} tests with the db fixture")
    line("rollback: mean / median per test", f"{mean_ms(plain_costs):7.2f} / {median_ms(plain_costs):6.2f} ms")
    line("rollback + reset_sequences: mean / median per test",
         f"{mean_ms(marked_costs):7.2f} / {median_ms(marked_costs):6.2f} ms")
    line("ratio marked / plain (median)", f"{median_ms(marked_costs) / median_ms(plain_costs):7.2f}x")


def main() -> None:
    print("The reset_sequences marker's cost per integration test (same tests, serial, one run)")
    compare("SQLite (nothing to restart)", {"DATABASE_URL": ""})
    for name, url in (("PostgreSQL (setval per table)", POSTGRES_URL),
                      ("MariaDB (ALTER TABLE … AUTO_INCREMENT per table)", MARIADB_URL)):
        if server_available(url):
            compare(name, {"DATABASE_URL": url})
        else:
            print(f"{name}: not reachable, skipped")


if __name__ == "__main__":
    main()
