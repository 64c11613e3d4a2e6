"""Where a trace's cost goes: the trivial journey in bare Playwright, under each way of tracing it.

``python -m bench.trace_profile [--quick]``: serves this app's /about from a live server, and in one
browser runs the journey (``goto`` + ``expect`` heading, then the page blanked) N times per variant,
in rounds whose order rotates: no trace; a chunk per test with DOM snapshots and sources (what a
recorded test pays: every test under ``retain-on-failure``); the same without sources; a chunk per
test without snapshots (actions, network, console); with screencast frames too; one chunk for all
tests (no chunk boundaries); and tracing started with no chunk open (what a passing test pays under
the default ``rerun-on-failure``).
Prints, per variant, wall and CPU time per test (this process, Playwright's driver and Chromium),
each as the extra over no trace, and the chunk calls' own wall time. No harness fixture is involved.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask_harness

from bench.common import bench_app, sized

TRACE: dict[str, Any] = {"screenshots": False, "snapshots": True, "sources": True}
# name: (tracing.start options, chunks: "per test", "one" for all tests, "none" open)
VARIANTS: dict[str, tuple[dict[str, Any] | None, str]] = {
    "no trace": (None, "none"),
    "chunk per test, DOM snapshots + sources (recorded)": (TRACE, "per test"),
    "chunk per test, DOM snapshots, no sources": ({**TRACE, "sources": False}, "per test"),
    "chunk per test, no DOM snapshots": ({**TRACE, "snapshots": False}, "per test"),
    "chunk per test, DOM snapshots + screencast": ({**TRACE, "screenshots": True}, "per test"),
    "one chunk for every test (no boundaries)": (TRACE, "one"),
    "trace started, no chunk open (default, passing)": (TRACE, "none"),
}
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds() -> float:
    """CPU used so far by this process and every process under it (the driver, Chromium)."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(value) for value in fields[11:15]) / TICKS
    tree, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return sum(cpu.get(pid, 0.0) for pid in tree)


@contextmanager
def about_page() -> Iterator[str]:
    """This app's /about page on a live server; yields its base URL."""
    with bench_app() as (app, folder):
        server = flask_harness.LiveServer(app, log_path=folder / "server.log")
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


def run_variant(browser: Any, base_url: str, options: dict[str, Any] | None, chunks: str,
                tests: int) -> dict[str, float]:
    from playwright.sync_api import expect

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    per_test = chunks == "per test"
    if options is not None:
        context.tracing.start(**options)  # which opens a chunk: kept for "one", closed otherwise
        if chunks != "one":
            context.tracing.stop_chunk()
    page.goto("/about")  # warm: the first navigation pays for the renderer
    chunk_calls = 0.0
    cpu, start = tree_cpu_seconds(), time.perf_counter()
    for number in range(tests):
        if options is not None and per_test:
            before = time.perf_counter()
            context.tracing.start_chunk(title=f"test {number}")
            chunk_calls += time.perf_counter() - before
        page.goto("/about")
        expect(page.get_by_role("heading", name="About Webapp")).to_be_visible()
        if options is not None and per_test:
            before = time.perf_counter()
            context.tracing.stop_chunk()
            chunk_calls += time.perf_counter() - before
        page.set_content("<!doctype html><title>Blank</title>")
    wall = time.perf_counter() - start
    time.sleep(0.2)  # let the driver and the browser finish what the last test started
    used = tree_cpu_seconds() - cpu
    if options is not None:
        context.tracing.stop()
    context.close()
    return {"wall": wall / tests * 1000, "cpu": used / tests * 1000, "chunk calls": chunk_calls / tests * 1000}


def main() -> None:
    from flask_harness.browser.binary import find_executable
    from playwright.sync_api import sync_playwright

    tests, rounds = sized(40, 4), sized(3, 1)
    names = list(VARIANTS)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    with about_page() as base_url, sync_playwright() as playwright:
        executable = find_executable(None, playwright.chromium.executable_path)
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--disable-background-networking", "--no-first-run"])
        for r in range(rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                options, chunks = VARIANTS[name]
                results[name].append(run_variant(browser, base_url, options, chunks, tests))
        browser.close()
    medians = {name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
               for name, runs in results.items()}
    bare = medians["no trace"]
    print(f"The trivial journey in bare Playwright, {tests} tests per variant, median of {rounds} round(s):")
    print(f"  {'':58} {'wall':>8} {'extra':>7} {'CPU':>8} {'extra':>7} {'chunk calls':>11}")
    for name, figures in medians.items():
        print(f"  {name:<58} {figures['wall']:6.1f}ms {figures['wall'] - bare['wall']:+6.1f} "
              f"{figures['cpu']:6.1f}ms {figures['cpu'] - bare['cpu']:+6.1f} {figures['chunk calls']:9.1f}ms")
    print("  (CPU: this process, Playwright's driver and Chromium together)")


if __name__ == "__main__":
    main()
