"""Red builds at scale: merging shard bundles, shard balance, and what steps and the report cost.

``python -m bench.report`` runs, side by side:
- the e2e journeys plain, then with three steps a test, the HTML report and a result bundle
  (cost per test, aim < 5 %);
- the app's integration tests once (recording durations), then as 4 shards balanced by them
  (slowest shard / mean, target ≤ 1.25), then ``python -m flask_harness merge`` of the 4 bundles
  (target < 2 s), and of 4 synthetic bundles of 2,500 tests each (the same at scale).
Exits non-zero if any pytest run it starts fails.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import QUICK, Run, run_pytest, sized

SHARDS = 4
# --quick: slices of the layers and one repeat, enough to prove the bench runs.
E2E = ["e2e/test_navigation.py"] if QUICK else ["e2e"]
INTEGRATION = ["integration/test_pages.py", "integration/test_posts.py"] if QUICK else ["integration"]
REPEATS = sized(2, 1)


def checked(args: list[str]) -> Run:
    """A pytest run that must pass: a failed test makes the benchmark fail, not print a ratio."""
    run = run_pytest(args)
    if run.exit_code != 0:
        raise SystemExit(f"pytest {' '.join(args)} failed:\n{run.output[-3000:]}")
    return run


def fastest_per_test(runs: list[Run]) -> dict[str, float]:
    """Each test's fastest setup+call+teardown over repeated runs: contention on a shared CPU only adds."""
    best: dict[str, float] = {}
    for run in runs:
        for nodeid, phases in run.phases.items():
            total = sum(phases.get(name, 0.0) for name in ("setup", "call", "teardown"))
            best[nodeid] = min(best.get(nodeid, total), total)
    return best


def step_cost_ms(count: int = 300) -> float:
    """One ``step()`` with a trace chunk open: a ``tracing.group`` and a ``group_end`` round trip."""
    from flask_harness.browser.binary import find_executable, playwright_chromium_path
    from playwright.sync_api import sync_playwright

    executable = find_executable(None, playwright_chromium_path())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        context = browser.new_context()
        context.tracing.start(snapshots=True)
        context.tracing.start_chunk()
        context.new_page().set_content("<h1>step</h1>")
        start = time.perf_counter()
        for number in range(count):
            context.tracing.group(f"step {number}")
            context.tracing.group_end()
        elapsed = time.perf_counter() - start
        context.tracing.stop_chunk()
        browser.close()
    return elapsed / count * 1000


def merge_seconds(bundles: list[Path], out: Path, repeat: int = 3) -> tuple[float, float]:
    """Median wall and CPU time of ``python -m flask_harness merge`` (interpreter start included)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "flask_harness", "merge", *map(str, bundles),
                               "--html", str(out / "report.html"), "--junit", str(out / "junit.xml")],
                              capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise SystemExit(f"merge failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def synthetic_bundles(folder: Path, tests_per_bundle: int = sized(2_500, 100)) -> list[Path]:
    """Four bundles like a big suite's: mostly passes, some failures with a log and a screenshot."""
    screenshot = b"\x89PNG\r\n\x1a\n" + os.urandom(150_000)  # a full-page screenshot's size; never decoded
    bundles = []
    for index in range(1, SHARDS + 1):
        bundle = folder / f"bundle-{index}"
        tests = []
        for number in range(tests_per_bundle):
            failed = number % 100 == 0
            artifacts = []
            if failed:
                shot = bundle / "test-results" / f"t{index}-{number}" / "screenshot.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                shot.write_bytes(screenshot)
                artifacts.append({"kind": "screenshot", "path": f"test-results/t{index}-{number}/screenshot.png"})
            record = {"attempt": 1, "outcome": "failed" if failed else "passed", "failed_phase": "call" if failed
                      else "", "message": "AssertionError\n" * 20 if failed else "", "duration": 0.12,
                      "steps": [{"name": "log in", "depth": 0, "start": 0.0, "duration": 0.05, "error": ""}],
                      "artifacts": artifacts, "server_log": "GET / 200\n" * 10 if failed else "",
                      "server_errors": [], "browser_problems": []}
            tests.append({"nodeid": f"tests/test_{index}.py::test_{number}", "outcome": record["outcome"],
                          "attempts": [record]})
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / "results.json").write_text(json.dumps({"version": 1, "tests": tests}))
        bundles.append(bundle)
    return bundles


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        work = Path(tmp)
        print("e2e journeys, twice each, alternating: plain, then with steps + HTML report + bundle ...", flush=True)
        plains, fulls = [], []
        for repeat in range(REPEATS):
            plains.append(checked([*E2E]))
            fulls.append(checked([*E2E, "-p", "bench.with_steps", "--harness-report", str(work / "e2e.html"),
                                  "--harness-bundle", str(work / f"e2e-bundle-{repeat}")]))
        plain, full = fastest_per_test(plains), fastest_per_test(fulls)
        tests = len(plain)
        ratios = [full[nodeid] / plain[nodeid] for nodeid in plain if nodeid in full and plain[nodeid] > 0]
        walls = min(run.wall for run in fulls) / min(run.wall for run in plains)
        step_ms = step_cost_ms()

        print("integration: one run recording durations, then 4 shards ...", flush=True)
        whole = work / "whole"
        checked([*INTEGRATION, "--harness-bundle", str(whole)])
        durations = json.loads((whole / "durations.json").read_text())
        shard_bundles = [work / f"shard-{k}" for k in range(1, SHARDS + 1)]
        shard_runs: list[list[Run]] = [[] for _ in shard_bundles]
        for _repeat in range(REPEATS):  # each test's fastest: contention on a shared CPU only adds
            for k, bundle in enumerate(shard_bundles, start=1):
                shard_runs[k - 1].append(checked([
                    *INTEGRATION, f"--shard={k}/{SHARDS}", "--shard-durations", str(whole / "durations.json"),
                    "--harness-bundle", str(bundle)]))
        shard_durations = [sum(fastest_per_test(runs).values()) for runs in shard_runs]
        shard_walls = [min(run.wall for run in runs) for runs in shard_runs]
        from flask_harness.run import shards

        nodeids = list(durations)
        predicted = shards.balance(shards.split(nodeids, durations, SHARDS), durations)
        measured = max(shard_durations) / statistics.fmean(shard_durations)
        counts = [len(json.loads((bundle / "durations.json").read_text())) for bundle in shard_bundles]
        merge_real = merge_seconds(shard_bundles, work)
        merge_big = merge_seconds(synthetic_bundles(work / "big"), work)
        report_size = (work / "report.html").stat().st_size / 1e6

    print()
    print(f"{'measure':58} {'value':>10}  target")
    plain_ms, full_ms = statistics.fmean(plain.values()) * 1000, statistics.fmean(full.values()) * 1000
    print(f"{'e2e per test, plain (mean of each test fastest of 2)':58} {plain_ms:8.1f}ms")
    print(f"{'e2e per test, 3 steps + report + bundle':58} {full_ms:8.1f}ms")
    print(f"{'  ratio of means':58} {full_ms / plain_ms:9.3f}x  < 1.05")
    print(f"{'  median of per-test ratios':58} {statistics.median(ratios):9.3f}x  < 1.05")
    print(f"{'  ratio of wall times (fastest of 2; report writing included)':58} {walls:9.3f}x  ({tests} tests)")
    print(f"{'one step with a trace chunk open (group + group_end)':58} {step_ms:8.2f}ms")
    print(f"{'shard balance predicted from durations: slowest / mean':58} {predicted:9.3f}x  ≤ 1.25")
    print(f"{'shard balance measured (test time per shard): slowest / mean':58} {measured:9.3f}x  ≤ 1.25")
    per_shard = " ".join(f"{d:.1f}" for d in shard_durations)
    print(f"{'  test time per shard (s, each test fastest of 2)':58} {per_shard:>10}")
    print(f"{'  tests per shard':58} {' '.join(map(str, counts)):>10}")
    print(f"{'  shard wall times (s, pytest start included)':58} {' '.join(f'{w:.1f}' for w in shard_walls):>10}")
    merged = f'merge 4 integration bundles ({len(durations)} tests), python -m … merge'
    print(f"{merged:58} {merge_real[0]:8.2f}s   < 2 s"
          f"  (CPU {merge_real[1]:.2f}s)")
    big = SHARDS * sized(2_500, 100)
    print(f"{f'merge 4 synthetic bundles ({big:,} tests, {big // 100} screenshots)':58} {merge_big[0]:8.2f}s   < 2 s"
          f"  (CPU {merge_big[1]:.2f}s)")
    print(f"{f'  merged report size ({big:,} tests)':58} {report_size:7.1f}MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
