"""What the harness's per-test bookkeeping costs: the test's record, its attempts, the report hooks,
and with ``--harness-report`` and ``--harness-bundle`` the report and the bundle.

``python -m bench.bookkeeping [--quick]``: a project of N and 2N trivial tests (``pass``) outside
this one, run with the harness, without it (``-p no:flask_harness``), and with the report and the
bundle, in interleaved rounds. A variant's cost per test is the slope between its two sizes (the
process's start cancels out), in CPU time, which a shared machine disturbs far less than wall time;
the harness's part is its slope minus the slope without it. Set beside the per-test time of a
trivial journey and of an integration test of this project, measured in the same run; the goal
is at most 2 % of each. Fails loudly if any pytest run fails.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.common import line, mean_ms, run_pytest, sized, timed_pytest

TRIVIAL = "import pytest\n\n\n@pytest.mark.parametrize('n', range({count}))\ndef test_trivial(n):\n    pass\n"
VARIANTS = {
    "without the harness": ["-p", "no:flask_harness"],
    "with the harness": [],
    "with the harness, --harness-report and --harness-bundle": ["--harness-report", "report.html",
                                                                "--harness-bundle", "bundle"],
}
GOAL_PERCENT = 2.0
QUIET = ["-p", "no:randomly"]


def per_test_ms(folder: Path, size: int, rounds: int) -> dict[str, float]:
    """Each variant's CPU per test: the median over rounds of (2N run - N run) / N."""
    small, large = folder / "small", folder / "large"
    for project, count in ((small, size), (large, 2 * size)):
        project.mkdir()
        (project / "test_trivial.py").write_text(TRIVIAL.format(count=count))
    slopes: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(rounds):
        for name, args in VARIANTS.items():
            cpu = {project: timed_pytest([*QUIET, *args], project)[1] for project in (large, small)}
            slopes[name].append((cpu[large] - cpu[small]) / size * 1000)
    return {name: statistics.median(values) for name, values in slopes.items()}


def main() -> None:
    size, rounds = sized(1000, 100), sized(5, 1)
    with tempfile.TemporaryDirectory(prefix="bench-bookkeeping-") as tmp:
        costs = per_test_ms(Path(tmp), size, rounds)
    journey = run_pytest(["bench/journeys"], {"DATABASE_URL": "", "BENCH_JOURNEYS": str(sized(20, 4))})
    integration = run_pytest(["integration/test_pages.py"], {"DATABASE_URL": ""})
    journey_ms = mean_ms(journey.per_test("setup", "call", "teardown"))
    integration_ms = mean_ms(integration.per_test("setup", "call", "teardown"))
    bare = costs["without the harness"]
    print(f"Per-test CPU of {size} vs {2 * size} trivial tests, median of {rounds} round(s):")
    for name, cost in costs.items():
        line(name, f"{cost:6.3f} ms")
    print("The harness's part, against this project's tests measured in the same run:")
    for name in list(VARIANTS)[1:]:
        extra = costs[name] - bare
        line(f"{name.removeprefix('with the harness')[2:] or 'bookkeeping'}: per test", f"{extra:6.3f} ms")
        for label, reference in (("a trivial journey", journey_ms), ("an integration test", integration_ms)):
            line(f"  of {label} ({reference:.1f} ms; goal <= {GOAL_PERCENT:g} %)",
                 f"{extra / reference * 100:6.2f} %")


if __name__ == "__main__":
    main()
