"""The live server under load from the page: 50 parallel ``fetch`` writes against 50 sequential
ones, and a large upload, in one pytest run.

Run: ``python -m bench.live_load [--quick]``. The run uses the harness's tiny live app
(``harness/tests/apps_live/liveapp.py``) in a temporary project: one journey posts notes through
its JSON API (each request writes a row inside the test's transaction, through the shared
connection), ROUNDS times each way, alternating which goes first, and uploads a file of random
bytes from the page, checking its size and SHA-256 on the server. Times are taken in the page
(``performance.now()``). Exits non-zero if anything fails; no figures from a broken run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, sized

LIVE_APP = ROOT / "harness" / "tests" / "apps_live" / "liveapp.py"
FETCHES = 50
ROUNDS = sized(7, 2)
UPLOAD_MB = sized(20, 5)
PROJECT = """[tool.pytest.ini_options]
flask_app = "liveapp:create_app"
addopts = ["-p", "no:randomly", "-p", "no:cacheprovider", "--strict-markers"]
filterwarnings = ["error"]
"""
PLAYWRIGHT_CONFIG = ('chromium_args = ["--disable-background-networking", "--disable-component-update", '
                     '"--disable-sync", "--no-first-run"]\n')

JOURNEY = '''
import json
import os

from liveapp import Note, db

POST = """([n, parallel]) => {
  const post = i => fetch("/api/notes", {method: "POST", headers: {"Content-Type": "application/json"},
                                        body: JSON.stringify({text: `note ${i}`})}).then(r => r.status);
  const start = performance.now();
  const done = parallel
    ? Promise.all(Array.from({length: n}, (_, i) => post(i)))
    : Array.from({length: n}, (_, i) => i).reduce(
        (previous, i) => previous.then(statuses => post(i).then(s => [...statuses, s])), Promise.resolve([]));
  return done.then(statuses => ({ms: performance.now() - start, statuses}));
}"""
UPLOAD = """async size => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = Array.from(digest, b => b.toString(16).padStart(2, "0")).join("");
  const form = new FormData();
  form.append("file", new Blob([bytes]), "big.bin");
  const start = performance.now();
  const response = await fetch("/upload", {method: "POST", body: form});
  const received = await response.json();
  return {ms: performance.now() - start, status: response.status, sent: {size, sha256}, received};
}"""


def test_load(page, db):
    fetches, rounds = int(os.environ["BENCH_FETCHES"]), int(os.environ["BENCH_ROUNDS"])
    page.goto("/")
    timings = {"parallel": [], "sequential": [], "upload": []}
    for r in range(rounds):
        for parallel in ((True, False) if r % 2 == 0 else (False, True)):
            run = page.evaluate(POST, [fetches, parallel])
            assert run["statuses"] == [201] * fetches
            timings["parallel" if parallel else "sequential"].append(run["ms"])
        upload = page.evaluate(UPLOAD, int(os.environ["BENCH_UPLOAD_MB"]) * 1024 * 1024)
        assert upload["status"] == 200
        assert upload["received"] == upload["sent"]
        timings["upload"].append(upload["ms"])
    assert db.session.query(Note).count() == 2 * fetches * rounds  # every write landed
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(timings, out)
'''


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-live-load-") as tmp:
        folder = Path(tmp)
        (folder / "liveapp.py").write_text(LIVE_APP.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
        (folder / "playwright.config.py").write_text(PLAYWRIGHT_CONFIG, encoding="utf-8")
        (folder / "test_live_load.py").write_text(JOURNEY, encoding="utf-8")
        out = folder / "timings.json"
        env = {**os.environ, "BENCH_OUT": str(out), "BENCH_ROUNDS": str(ROUNDS), "BENCH_FETCHES": str(FETCHES),
               "BENCH_UPLOAD_MB": str(UPLOAD_MB)}
        for name in ("PYTEST_ADDOPTS", "DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP"):
            env.pop(name, None)
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "test_live_load.py"], cwd=folder, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            print(done.stdout[-4000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
            print(f"bench.live_load: pytest exited {done.returncode}; no figures.", file=sys.stderr)
            return 1
        timings = json.loads(out.read_text())
    parallel, sequential = statistics.median(timings["parallel"]), statistics.median(timings["sequential"])
    upload = statistics.median(timings["upload"])
    print(f"live server, {FETCHES} POST /api/notes from the page (each writes a row), median of {ROUNDS} rounds:")
    print(f"  parallel (Promise.all)      {parallel:7.1f} ms  {FETCHES / parallel * 1000:6.0f} requests/s")
    print(f"  sequential (one at a time)  {sequential:7.1f} ms  {FETCHES / sequential * 1000:6.0f} requests/s")
    print(f"  ratio sequential / parallel {sequential / parallel:7.2f}")
    print(f"upload of {UPLOAD_MB} MB from the page (multipart, hash checked), median of {ROUNDS}:")
    print(f"  {upload:7.1f} ms  {UPLOAD_MB / upload * 1000:6.1f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
