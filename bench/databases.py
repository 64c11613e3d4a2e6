"""Time to make a worker's database once the template exists, per backend.

``python -m bench.databases``: builds a template from the migrations, then clones it repeatedly,
and prints the median clone time next to the time the template build took.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import POSTGRES_URL, line, postgres_available
from harness.appfactory import build_schema
from harness.databases import PostgresDatabases, SqliteDatabases, TestDatabases

FACTORY = "webapp:create_app"
CLONES = 20


def measure(label: str, backend: TestDatabases, goal_ms: float) -> None:
    start = time.perf_counter()
    backend.ensure_template(lambda url: build_schema(FACTORY, url, {}))
    template_ms = (time.perf_counter() - start) * 1000
    clone_times = []
    try:
        for n in range(CLONES):
            start = time.perf_counter()
            backend.create_worker_database(f"gw{n}")
            clone_times.append((time.perf_counter() - start) * 1000)
    finally:
        for n in range(CLONES):
            backend.drop_worker_database(f"gw{n}")
        backend.drop_template()
    median = statistics.median(clone_times)
    print(f"{label}:")
    line("template built from the migrations (once per run)", f"{template_ms:8.1f} ms")
    line(f"worker database from the template: median of {CLONES} (goal <= {goal_ms:.0f} ms)", f"{median:8.2f} ms")
    line("ratio migrations / clone", f"{template_ms / median:8.1f}x")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
        measure("SQLite", SqliteDatabases(Path(tmp)), goal_ms=10)
        if postgres_available():
            measure("PostgreSQL", PostgresDatabases(POSTGRES_URL, Path(tmp), uuid.uuid4().hex[:8]), goal_ms=150)
        else:
            print("PostgreSQL: not reachable, skipped")


if __name__ == "__main__":
    main()
