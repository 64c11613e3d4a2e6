"""``pytest unit`` wall and CPU time with the plugin loaded, and what each plugin adds to it.

Variants run interleaved, several rounds, medians printed side by side:
  as configured        the project's pytest settings (harness, pytest-playwright, pytest-randomly…)
  without randomly     -p no:randomly (pytest-randomly imports factory_boy and Faker to reseed them)
  without playwright   -p no:playwright (pytest-playwright imports Playwright at start-up)
  rewrite not cached   PYTHONDONTWRITEBYTECODE=1 (set in many images): pytest rewrites the asserts
                       of every plugin's modules (Faker's, Hypothesis') in every process again
and, beside them, pytest's own start on a one-test file outside the project, with every installed
plugin, without this harness, and with no plugin at all (PYTEST_DISABLE_PLUGIN_AUTOLOAD), so the
harness's part is seen against the other plugins'. Also times importing the plugin alone, and
checks that it loads neither Flask, SQLAlchemy, Playwright nor the app. (The project cannot run
without the plugin: --strict-config refuses its ini settings then.)
``python -m bench.startup [--quick]``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT, line, sized, timed_pytest

VARIANTS = {
    "as configured": ["unit"],
    "without pytest-randomly (-p no:randomly)": ["unit", "-p", "no:randomly"],
    "without pytest-playwright (-p no:playwright)": ["unit", "-p", "no:playwright"],
}
NOT_CACHED = "rewritten modules not cached (PYTHONDONTWRITEBYTECODE=1)"
REWRITTEN = "*-pytest-*.pyc"  # pytest's cache of a module it rewrote
# pytest on a one-test file in an empty folder: (arguments, environment)
BARE = "test_one.py"
EMPTY_PROJECT = {
    "one-test file, every installed plugin": ([BARE], {}),
    "one-test file, every plugin but this harness": ([BARE, "-p", "no:flask_harness"], {}),
    "one-test file, no plugin (pytest alone)": ([BARE], {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
}
HEAVY = ("flask", "sqlalchemy", "playwright", "webapp")


@contextmanager
def rewrite_cache_hidden(folder: Path) -> Iterator[None]:
    """pytest's rewritten-module cache (the environment's and the project's) moved away, then back."""
    roots = [Path(sys.prefix), ROOT / "unit"]
    moved = []
    for root in roots:
        for pyc in root.rglob(REWRITTEN):
            target = folder / str(len(moved))
            pyc.rename(target)
            moved.append((target, pyc))
    try:
        yield
    finally:
        for target, pyc in moved:
            target.rename(pyc)


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
    samples: dict[str, list[tuple[float, float]]] = {
        name: [] for name in (*VARIANTS, NOT_CACHED, *EMPTY_PROJECT)}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as empty:
        (Path(empty) / BARE).write_text("def test_one():\n    pass\n")
        timed_pytest(["unit"], env={"PYTHONDONTWRITEBYTECODE": ""})  # the cache exists before any round
        for _ in range(rounds):
            for name, args in VARIANTS.items():
                samples[name].append(timed_pytest(args))
            with tempfile.TemporaryDirectory(prefix="bench-startup-pyc-") as aside, rewrite_cache_hidden(Path(aside)):
                samples[NOT_CACHED].append(timed_pytest(["unit"], env={"PYTHONDONTWRITEBYTECODE": "1"}))
            for name, (args, env) in EMPTY_PROJECT.items():
                samples[name].append(timed_pytest(args, Path(empty), env))
    walls = {name: statistics.median(w for w, _ in runs) for name, runs in samples.items()}
    print(f"pytest unit, median of {rounds} interleaved runs per variant (wall / CPU):")
    base_wall = walls["as configured"]
    for name in (*VARIANTS, NOT_CACHED):
        cpu = statistics.median(c for _, c in samples[name])
        line(name, f"{walls[name]:5.2f} s / {cpu:5.2f} s  ({walls[name] / base_wall:4.2f}x)")
    line("goal: as configured under 1.5 s wall", f"{base_wall:5.2f} s")
    print("pytest's own start outside the project (wall / CPU):")
    for name in EMPTY_PROJECT:
        cpu = statistics.median(c for _, c in samples[name])
        line(name, f"{walls[name]:5.2f} s / {cpu:5.2f} s")
    # The parts in CPU time: on a shared machine it moves far less than wall time.
    cpus = {name: statistics.median(c for _, c in samples[name]) for name in EMPTY_PROJECT}
    every, alone = cpus["one-test file, every installed plugin"], cpus["one-test file, no plugin (pytest alone)"]
    harness_part = every - cpus["one-test file, every plugin but this harness"]
    line("the installed plugins' part, CPU (every plugin - pytest alone)", f"{(every - alone) * 1000:5.0f} ms")
    line("this harness's part, CPU (every plugin - all but the harness)", f"{harness_part * 1000:5.0f} ms")
    seconds, heavy = plugin_imports()
    line("importing the plugin itself", f"{seconds * 1000:5.1f} ms")
    line("heavy modules imported by `import flask_harness.plugin`", ", ".join(heavy) or "none")
    if heavy:
        raise SystemExit(f"the plugin imports {heavy} at start-up")


if __name__ == "__main__":
    main()
