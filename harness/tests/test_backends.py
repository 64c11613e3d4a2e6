"""Per-worker databases, rollback isolation and cleanup on each database server and driver.

Findings proved here (issue 6 and issue 10): SQLite, PostgreSQL (psycopg 3 and psycopg2) and
MariaDB (``mysql+pymysql://`` and plain ``mysql://``), serially and under ``-n 2``; a
``postgresql://`` URL with only one driver installed; only ``test_`` names touched and dropped at
the end; ``--keep-db`` under ``-n 2`` names each worker's database; no cleanup failure crashes
pytest or hides a test's result.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from example_apps import (
    ITEM_TESTS,
    MYSQL_SERVER,
    POSTGRES_SERVER,
    copy_app,
    drop_databases,
    read_records,
    records,
    run,
    server_databases,
    unique_base,
    write_ini,
)

LIVE_COMMIT_TESTS = """
import pytest
from sqlalchemy import func, select

from tutorial import Item


def committed_items(db):
    with db.engine.connect() as connection:  # a connection of its own sees only real commits
        return connection.scalar(select(func.count()).select_from(Item))


@pytest.mark.live_commit
def test_3_live_commit_commits_for_real(db, client):
    client.post("/items", data={"name": "kept"})
    assert committed_items(db) == 1


def test_4_the_tables_are_empty_afterwards(db):
    assert committed_items(db) == 0
"""

BLOCK_DRIVER = "import sys\n\nsys.modules[{module!r}] = None  # as if it were not installed\n"

# (server, URL scheme, driver module hidden from the project, driver its engines must use)
SERVERS = [
    pytest.param(None, "sqlite", None, "", id="sqlite"),
    pytest.param(POSTGRES_SERVER, "postgresql+psycopg", None, "psycopg", id="postgresql+psycopg"),
    pytest.param(POSTGRES_SERVER, "postgresql+psycopg2", None, "psycopg2", id="postgresql+psycopg2"),
    pytest.param(MYSQL_SERVER, "mysql+pymysql", None, "pymysql", id="mysql+pymysql"),
    pytest.param(MYSQL_SERVER, "mysql", None, "pymysql", id="mysql"),
]
ONLY_ONE_DRIVER = [
    pytest.param(POSTGRES_SERVER, "postgresql", "psycopg", "psycopg2", id="postgresql-only-psycopg2"),
    pytest.param(POSTGRES_SERVER, "postgresql", "psycopg2", "psycopg", id="postgresql-only-psycopg"),
]
SERIAL, TWO_WORKERS = (), ("-n", "2", "--dist", "each")
WORKERS = [pytest.param(SERIAL, id="serial"), pytest.param(TWO_WORKERS, id="n2")]
# Every server serially and under two workers; the driver choice only serially (it is per process).
RUNS = [pytest.param(*server.values, workers, id=f"{server.id}-{name}")
        for server in SERVERS for workers, name in ((SERIAL, "serial"), (TWO_WORKERS, "n2"))]
RUNS += [pytest.param(*server.values, SERIAL, id=f"{server.id}-serial") for server in ONLY_ONE_DRIVER]


@pytest.mark.parametrize(("server", "scheme", "hidden", "driver", "workers"), RUNS)
def test_each_worker_has_its_own_test_database_rolled_back_per_test_and_dropped_at_the_end(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str | None, scheme: str,
    hidden: str | None, driver: str, workers: tuple[str, ...],
) -> None:
    base = unique_base()
    db_url = "sqlite://" if server is None else f"{scheme}://{server.partition('://')[2]}/{base}"
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app", flask_harness_db_url=db_url)
    if hidden:
        pytester.makeconftest(BLOCK_DRIVER.format(module=hidden))
    pytester.makepyfile(test_items=ITEM_TESTS, test_live_commit=LIVE_COMMIT_TESTS)
    folder = records(pytester, monkeypatch)

    result = run(pytester, *workers)

    result.assert_outcomes(passed=8 if workers else 4)
    seen = read_records(folder)
    assert sorted(seen) == (["gw0", "gw1"] if workers else ["main"])
    for worker, record in seen.items():
        url = record["url"]
        assert url.split("://")[0].partition("+")[2] == driver
        if server is None:
            assert url.endswith(f"/test_{worker}.sqlite")
        else:
            assert re.fullmatch(rf".*/test_{base}_[0-9a-f]{{8}}_{worker}(\?.*)?", url), url
    if server is not None:
        assert server_databases(server, f"test_{base}") == []  # workers' and template dropped
        assert server_databases(server, base) == []  # the URL's own database never created


@pytest.mark.parametrize("server", [pytest.param(POSTGRES_SERVER, id="postgresql"),
                                    pytest.param(MYSQL_SERVER, id="mysql")])
def test_keep_db_under_two_workers_names_each_workers_database(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str,
) -> None:
    base = unique_base()
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app")
    pytester.makepyfile(test_items=ITEM_TESTS)
    records(pytester, monkeypatch)
    try:
        result = run(pytester, "-n", "2", "--dist", "each", "--keep-db", "--db-url", f"{server}/{base}")

        kept = server_databases(server, f"test_{base}")
    finally:
        drop_databases(server, server_databases(server, f"test_{base}"))

    result.assert_outcomes(passed=4)
    [run_id] = {re.sub(rf"test_{base}_(\w+)_\w+$", r"\1", name) for name in kept}
    shutil.rmtree(Path(tempfile.gettempdir()) / f"flask-harness-{run_id}")  # kept with the databases
    prefix = f"test_{base}_{run_id}"
    assert kept == [f"{prefix}_gw0", f"{prefix}_gw1", f"{prefix}_kept", f"{prefix}_template"]
    result.stdout.fnmatch_lines([f"flask-harness: kept the test databases *{prefix}_gw0, *{prefix}_gw1 "
                                 f"(template *{prefix}_template)"])


FAILING_CLEANUP = """
import os

import flask_harness.db.backends
import flask_harness.db.leftovers


def fail(*_args):
    raise RuntimeError("the server went away")


def fail_once_made(databases, worker):
    if os.path.exists(databases.describe(worker)):  # create_empty drops first: fail only at the end
        fail()


flask_harness.db.backends.SqliteDatabases.drop = fail_once_made
flask_harness.db.leftovers.finish = fail  # the run's own cleanup at its end
"""

FAILING_TEST = """
def test_3_fails_on_its_own(db):
    assert 1 + 1 == 3
"""


@pytest.mark.parametrize("workers", WORKERS)
@pytest.mark.parametrize("failing_test", [False, True], ids=["tests-pass", "a-test-fails"])
def test_a_failing_cleanup_is_a_warning_line_and_the_exit_code_is_the_tests(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, failing_test: bool, workers: tuple[str, ...],
) -> None:
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app")
    pytester.makeconftest(FAILING_CLEANUP)
    pytester.makepyfile(test_items=ITEM_TESTS, **({"test_failing": FAILING_TEST} if failing_test else {}))
    records(pytester, monkeypatch)

    result = run(pytester, *workers)
    [run_folder] = re.findall(r"SQLite files \(sqlite\+pysqlite\) in (\S+) ", result.stdout.str())
    shutil.rmtree(run_folder)  # what the failing cleanup left

    result.assert_outcomes(passed=2 * (2 if workers else 1), failed=(2 if workers else 1) if failing_test else 0)
    assert result.ret == (pytest.ExitCode.TESTS_FAILED if failing_test else pytest.ExitCode.OK)
    result.stdout.fnmatch_lines([
        "flask-harness: could not drop the test database */test_*.sqlite: RuntimeError('the server went away')",
        "flask-harness: could not clean up the test databases: RuntimeError('the server went away')"])
    if failing_test:
        result.stdout.fnmatch_lines(["FAILED test_failing.py::test_3_fails_on_its_own - assert (1 + 1) == 3"])
