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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Run, run_pytest

SHARDS = 4


def checked(args: list[str]) -> Run:
    """A pytest run that must pass: a failed test makes the benchmark fail, not print a ratio."""
    run = run_pytest(args)
    if run.exit_code != 0:
        raise SystemExit(f"pytest {' '.join(args)} failed:\n{run.output[-3000:]}")
    return run


def per_test(run: Run) -> float:
    return statistics.fmean(run.per_test("setup", "call", "teardown"))


def merge_seconds(bundles: list[Path], out: Path, repeat: int = 3) -> float:
    """Median wall time of ``python -m flask_harness merge`` (interpreter start included)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "flask_harness", "merge", *map(str, bundles),
                               "--html", str(out / "report.html"), "--junit", str(out / "junit.xml")],
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"merge failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return statistics.median(times)


def synthetic_bundles(folder: Path, tests_per_bundle: int = 2_500) -> list[Path]:
    """Four bundles like a big suite's: mostly passes, some failures with a log and a screenshot."""
    png = (ROOT / "factories" / "seed.png") if (ROOT / "factories" / "seed.png").exists() else None
    bundles = []
    for index in range(1, SHARDS + 1):
        bundle = folder / f"bundle-{index}"
        tests = []
        for number in range(tests_per_bundle):
            failed = number % 100 == 0
            artifacts = []
            if failed and png is not None:
                shot = bundle / "test-results" / f"t{index}-{number}" / "screenshot.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                shot.write_bytes(png.read_bytes())
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
        print("e2e journeys: plain, then with steps + HTML report + bundle ...", flush=True)
        plain = checked(["e2e"])
        full = checked(["e2e", "-p", "bench.with_steps", "--harness-report", str(work / "e2e.html"),
                        "--harness-bundle", str(work / "e2e-bundle")])
        tests = len(plain.phases)

        print("integration: one run recording durations, then 4 shards ...", flush=True)
        whole = work / "whole"
        checked(["integration", "--harness-bundle", str(whole)])
        durations = json.loads((whole / "durations.json").read_text())
        shard_bundles = [work / f"shard-{k}" for k in range(1, SHARDS + 1)]
        shard_walls = []
        for k, bundle in enumerate(shard_bundles, start=1):
            run = checked(["integration", f"--shard={k}/{SHARDS}", "--shard-durations", str(whole / "durations.json"),
                           "--harness-bundle", str(bundle)])
            shard_walls.append(run.wall)
        shard_durations = [sum(json.loads((bundle / "durations.json").read_text()).values())
                           for bundle in shard_bundles]
        from flask_harness import shards

        nodeids = list(durations)
        predicted = shards.balance(shards.split(nodeids, durations, SHARDS), durations)
        measured = max(shard_durations) / statistics.fmean(shard_durations)
        counts = [len(json.loads((bundle / "durations.json").read_text())) for bundle in shard_bundles]
        merge_real = merge_seconds(shard_bundles, work)
        merge_big = merge_seconds(synthetic_bundles(work / "big"), work)
        report_size = (work / "report.html").stat().st_size / 1e6

    print()
    print(f"{'measure':58} {'value':>10}  target")
    plain_ms, full_ms = per_test(plain) * 1000, per_test(full) * 1000
    print(f"{'e2e per test, plain (mean of setup+call+teardown)':58} {plain_ms:8.1f}ms")
    print(f"{'e2e per test, 3 steps + report + bundle':58} {full_ms:8.1f}ms")
    print(f"{'  ratio (per test)':58} {full_ms / plain_ms:9.3f}x  < 1.05")
    print(f"{'  ratio (wall, report writing included)':58} {full.wall / plain.wall:9.3f}x  ({tests} tests)")
    print(f"{'shard balance predicted from durations: slowest / mean':58} {predicted:9.3f}x  ≤ 1.25")
    print(f"{'shard balance measured (test time per shard): slowest / mean':58} {measured:9.3f}x  ≤ 1.25")
    print(f"{'  tests per shard':58} {' '.join(map(str, counts)):>10}")
    print(f"{'  shard wall times (s, pytest start included)':58} {' '.join(f'{w:.1f}' for w in shard_walls):>10}")
    print(f"{'merge 4 integration bundles (214 tests), python -m … merge':58} {merge_real:8.2f}s   < 2 s")
    print(f"{'merge 4 synthetic bundles (10,000 tests, 100 screenshots)':58} {merge_big:8.2f}s   < 2 s")
    print(f"{'  merged report size (10,000 tests)':58} {report_size:7.1f}MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
