"""What a second logged-in user costs a journey: ``page_as(user)`` (a browser context of its own) beside ``page``.

``python -m bench.page_as [--quick]``: the trivial journey (``goto`` + ``expect`` heading) alone, and
the same with ``page_as(UserFactory())`` doing it too, in one pytest process per variant, in rounds
whose order alternates. Prints each variant's median per-test time (set-up + call + teardown, the
first test excluded) and the ratio.
"""

from __future__ import annotations

import statistics

from bench.common import line, mean_ms, run_pytest, sized

JOURNEYS = "bench/journeys_two_users"
VARIANTS = {"one user (page)": [JOURNEYS, "-k", "one_user"],
            "two users (page + page_as)": [JOURNEYS, "-k", "two_users"]}


def main() -> None:
    env = {"DATABASE_URL": "", "BENCH_JOURNEYS": str(sized(40, 4))}
    rounds = sized(3, 1)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for r in range(rounds):
        for name in list(VARIANTS)[r % 2:] + list(VARIANTS)[:r % 2]:
            run = run_pytest(VARIANTS[name], env)
            times[name].append(mean_ms(run.per_test("setup", "call", "teardown")))
    one, two = (statistics.median(times[name]) for name in VARIANTS)
    print(f"page_as on SQLite, {env['BENCH_JOURNEYS']} journeys per variant, median of {rounds} round(s):")
    line("one user (page): per test", f"{one:7.1f} ms")
    line("two users (page + page_as): per test", f"{two:7.1f} ms")
    line("a second user costs", f"{two - one:7.1f} ms  ({two / one:4.2f}x)")


if __name__ == "__main__":
    main()
