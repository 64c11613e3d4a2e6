"""Cost of one screenshot comparison: ``expect_screenshot`` against a bare ``page.screenshot``.

Run: ``python -m bench.screenshots``. One pytest run opens the dashboard (with posts and files) at
1280x800 and takes a full-page screenshot both ways, interleaved, ROUNDS times each; the baseline
is written by the first comparison into a temporary folder. Exits non-zero if anything fails.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import sized

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = sized(15, 3)

JOURNEY = '''
import json
import os
import time
from datetime import datetime

import pytest

from factories import PostFactory, UploadFactory, UserFactory


def test_dashboard_screenshot_cost(page, db, login_as, expect_screenshot):
    when = datetime(2026, 3, 14, 9, 26)
    alice = UserFactory(username="alice")
    for n in range(6):
        PostFactory(author=alice, title=f"Post number {n}", created_at=when)
    for n in range(4):
        UploadFactory(owner=alice, original_filename=f"file-{n}.txt", description="A file", created_at=when)
    login_as(alice)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/dashboard")
    page.get_by_role("heading", name="Dashboard").wait_for()
    with pytest.raises(AssertionError, match="No baseline"):
        expect_screenshot(page, "dashboard", full_page=True)
    bare, compared = [], []
    for _ in range(int(os.environ["BENCH_ROUNDS"])):
        start = time.perf_counter()
        page.screenshot(full_page=True)
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        expect_screenshot(page, "dashboard", full_page=True)
        compared.append(time.perf_counter() - start)
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump({"bare": bare, "compared": compared}, out)
'''


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-screenshots-") as tmp:
        folder = Path(tmp)
        (folder / "test_screenshot_cost.py").write_text(JOURNEY, encoding="utf-8")
        out = folder / "timings.json"
        env = {**os.environ, "BENCH_OUT": str(out), "BENCH_ROUNDS": str(ROUNDS)}
        env.pop("PYTEST_ADDOPTS", None)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                   "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), "-o", "testpaths=",
                   str(folder / "test_screenshot_cost.py")]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            print(done.stdout[-4000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
            print(f"bench.screenshots: pytest exited {done.returncode}; no figures.", file=sys.stderr)
            return 1
        timings = json.loads(out.read_text())
    bare = statistics.median(timings["bare"]) * 1000
    compared = statistics.median(timings["compared"]) * 1000
    print(f"dashboard, full page at 1280x800, median of {ROUNDS} (ms):")
    print(f"  page.screenshot(full_page=True)            {bare:7.1f}")
    print(f"  expect_screenshot(page, ..., full_page=True) {compared:7.1f}")
    print(f"  ratio expect_screenshot / page.screenshot   {compared / bare:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
