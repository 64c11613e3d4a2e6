"""Running pytest for a benchmark and reading what bench.timer recorded."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP_INTEGRATION = ["integration"]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/webapp")
MARIADB_URL = os.environ.get("BENCH_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/webapp")
# --quick (or BENCH_QUICK=1): small sizes, so that CI runs every bench and none can rot.
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"


def sized(full: int, quick: int) -> int:
    """A sample size: the full one, or the quick one under --quick."""
    return quick if QUICK else full


@dataclass
class Run:
    """One pytest run: wall time, exit code, and per-test timings."""

    wall: float
    exit_code: int
    phases: dict[str, dict[str, float]]
    isolation: dict[str, float]
    output: str

    def per_test(self, *phases: str, skip_first: bool = True) -> list[float]:
        """Sum of the given phases per test, in run order (the first, paying session set-up, skipped)."""
        values = [sum(p.get(name, 0.0) for name in phases) for p in self.phases.values()]
        return values[1:] if skip_first and len(values) > 1 else values

    def isolation_costs(self) -> list[float]:
        """The rollback fixture's set-up plus teardown per test, in run order (the first, paying the
        worker's database, skipped)."""
        return list(self.isolation.values())[1:]

    @property
    def passed(self) -> int:
        return sum(1 for p in self.phases.values() if "call" in p)


def run_pytest(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run pytest in a subprocess with bench.timer loaded; fail loudly if pytest fails."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        target = str(Path(tmp) / "timings")
        full_env = {**os.environ, **(env or {}), "BENCH_TIMINGS": target}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.timer", "-p", "no:randomly",
                   "-p", "no:cacheprovider", *args]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        phases: dict[str, dict[str, float]] = {}
        isolation: dict[str, float] = {}
        for path in Path(tmp).glob("timings.*.json"):
            data = json.loads(path.read_text())
            phases.update(data["phases"])
            isolation.update(data["isolation"])
    if done.returncode != 0:  # a ratio from a broken run is worse than none
        raise SystemExit(
            f"pytest {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return Run(wall, done.returncode, phases, isolation, done.stdout)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def mean_ms(values: list[float]) -> float:
    return statistics.fmean(values) * 1000 if values else float("nan")


def server_available(url: str) -> bool:
    """Whether a database server answers (its maintenance database, in 2 s)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import DBAPIError

    parsed = make_url(url)
    database = "postgres" if parsed.get_backend_name() == "postgresql" else None
    server = URL.create(parsed.drivername, parsed.username, parsed.password, parsed.host, parsed.port, database)
    engine = create_engine(server, connect_args={"connect_timeout": 2})
    try:
        engine.connect().close()
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def postgres_available() -> bool:
    return server_available(POSTGRES_URL)


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


def timed_pytest(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one pytest process; fails loudly if pytest fails."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"pytest {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


@contextmanager
def bench_app() -> Iterator[tuple[Any, Path]]:
    """This project's app on a SQLite database of its own, schema built; yields it and its folder."""
    import flask_harness

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/test_bench.sqlite"
        factory = flask_harness.factory_from_setting("webapp:create_app", ROOT)
        app = flask_harness.build_app(factory, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                                                "UPLOAD_FOLDER": tmp}, url)
        flask_harness.build_schema(app, None)
        yield app, Path(tmp)


def write_worker_json(session: Any, variable: str, data: dict[str, Any]) -> None:
    """A bench plugin's findings, in ``$<variable>.<worker>.json`` (one file per xdist worker)."""
    target = os.environ.get(variable)
    if not target:
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    with open(f"{target}.{worker}.json", "w", encoding="utf-8") as out:
        json.dump(data, out)
