"""What a second logged-in user and HTTPS cost a journey, against the plain journey, in one run.

``python -m bench.journey_extras [--quick]``: the trivial journey (``goto`` + ``expect`` heading) on
an http live server; the same on an https one (``live_server_scheme = "https"``); and on http with
``page_as(UserFactory())`` doing it too. One pytest process per variant, in rounds whose order
rotates. Prints each variant's median per-test time (set-up + call + teardown, the first test
excluded) and its ratio to the plain journey.
"""

from __future__ import annotations

import statistics

from bench.common import line, mean_ms, run_pytest, sized

JOURNEYS = "bench/journeys_two_users"
VARIANTS = {  # name: (pytest arguments, live_server_scheme)
    "plain journey (http, one page)": ([JOURNEYS, "-k", "one_user"], "http"),
    "over https": ([JOURNEYS, "-k", "one_user"], "https"),
    "two users (page + page_as), http": ([JOURNEYS, "-k", "two_users"], "http"),
}


def main() -> None:
    journeys = str(sized(40, 4))
    rounds = sized(3, 1)
    names = list(VARIANTS)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            args, scheme = VARIANTS[name]
            run = run_pytest(args, {"DATABASE_URL": "", "BENCH_JOURNEYS": journeys,
                                    "FLASK_HARNESS_LIVE_SERVER_SCHEME": scheme})
            times[name].append(mean_ms(run.per_test("setup", "call", "teardown")))
    medians = {name: statistics.median(values) for name, values in times.items()}
    plain = medians[names[0]]
    print(f"Journey extras on SQLite, {journeys} journeys per variant, median of {rounds} round(s):")
    for name, value in medians.items():
        line(f"{name}: per test", f"{value:7.1f} ms  ({value / plain:4.2f}x, {value - plain:+6.1f} ms)")


if __name__ == "__main__":
    main()
