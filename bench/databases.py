"""Time to make a worker's database once the template exists, per database server.

``python -m bench.databases [--quick]``: builds the app's schema from its migrations once, saves it
as the template, then clones it repeatedly; prints the median clone time beside the build time,
for SQLite, PostgreSQL and MariaDB (servers that do not answer are reported as skipped).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path

import flask_harness

from bench.common import MARIADB_URL, POSTGRES_URL, ROOT, line, server_available, sized

APP = "webapp:create_app"


def measure(label: str, server_url: str, folder: Path) -> None:
    backend = flask_harness.database_backend(server_url, folder, uuid.uuid4().hex[:8])
    factory = flask_harness.factory_from_setting(APP, ROOT)
    clones = sized(20, 3)
    start = time.perf_counter()
    backend.create_empty("builder")
    try:
        url = backend.url_for("builder")
        app = flask_harness.build_app(factory, {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url}, url)
        flask_harness.build_schema(app, ROOT / "webapp" / "migrations")
        with app.app_context():
            for engine in app.extensions["sqlalchemy"].engines.values():
                engine.dispose()
        backend.save_as_template("builder")
        template_ms = (time.perf_counter() - start) * 1000
        clone_times = []
        for n in range(clones):
            start = time.perf_counter()
            backend.clone_template(f"gw{n}")
            clone_times.append((time.perf_counter() - start) * 1000)
    finally:
        for worker in ["builder", *(f"gw{n}" for n in range(clones))]:
            backend.drop(worker)
        backend.drop_template()
    median = statistics.median(clone_times)
    print(f"{label}:")
    line("schema built from the migrations and saved as template", f"{template_ms:8.1f} ms")
    line(f"worker database from the template: median of {clones}", f"{median:8.2f} ms")
    line("ratio build / clone", f"{template_ms / median:8.1f}x")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
        measure("SQLite (file copy)", "sqlite://", Path(tmp))
        for label, url in (("PostgreSQL (CREATE DATABASE … TEMPLATE)", POSTGRES_URL),
                           ("MariaDB (SHOW CREATE TABLE + INSERT … SELECT)", MARIADB_URL)):
            if server_available(url):
                measure(label, url, Path(tmp))
            else:
                print(f"{label}: server not reachable, skipped")


if __name__ == "__main__":
    main()
