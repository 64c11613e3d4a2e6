"""``pytest unit`` wall and CPU time with the plugin loaded, and what each plugin adds to it.

Variants run interleaved, several rounds, medians printed side by side:
  as configured        the project's pytest settings (harness, pytest-playwright, pytest-randomly…)
  without randomly     -p no:randomly (pytest-randomly imports factory_boy and Faker to reseed them)
  without playwright   -p no:playwright (pytest-playwright imports Playwright at start-up)
Also times importing the plugin alone, and checks that it loads neither Flask, SQLAlchemy,
Playwright nor the app. (The project cannot run without the plugin: --strict-config refuses its
ini settings then.)
``python -m bench.startup [--quick]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench.common import ROOT, line, sized

VARIANTS = {
    "as configured": [],
    "without pytest-randomly (-p no:randomly)": ["-p", "no:randomly"],
    "without pytest-playwright (-p no:playwright)": ["-p", "no:playwright"],
}
HEAVY = ("flask", "sqlalchemy", "playwright", "webapp")


def timed_run(extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``pytest unit`` process; fails loudly if pytest fails."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "unit", "-q", "-p", "no:cacheprovider", *extra],
                          cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"pytest unit {' '.join(extra)} exited {done.returncode}:\n{done.stdout[-3000:]}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def plugin_imports() -> tuple[float, list[str]]:
    """Seconds to import the plugin (pytest already imported), and the heavy modules it pulls in."""
    code = ("import sys, time, pytest; start = time.perf_counter(); import flask_harness.plugin; "
            "print(time.perf_counter() - start); "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, _, heavy = done.stdout.partition("\n")
    return float(seconds), heavy.split()


def main() -> None:
    rounds = sized(7, 2)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    for _ in range(rounds):
        for name, extra in VARIANTS.items():
            samples[name].append(timed_run(extra))
    print(f"pytest unit, median of {rounds} interleaved runs per variant (wall / CPU):")
    base_wall = statistics.median(w for w, _ in samples["as configured"])
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        line(name, f"{wall:5.2f} s / {cpu:5.2f} s  ({wall / base_wall:4.2f}x)")
    line("goal: as configured under 1.5 s wall", f"{base_wall:5.2f} s")
    seconds, heavy = plugin_imports()
    line("importing the plugin itself", f"{seconds * 1000:5.1f} ms")
    line("heavy modules imported by `import flask_harness.plugin`", ", ".join(heavy) or "none")
    if heavy:
        raise SystemExit(f"the plugin imports {heavy} at start-up")


if __name__ == "__main__":
    main()
