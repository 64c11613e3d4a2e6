"""Every ``SQLALCHEMY_BINDS`` entry gets a test database per worker, rolled back with the default one
(issue 16, item 6): on SQLite, PostgreSQL, MariaDB and a MariaDB bind beside PostgreSQL, serially and
under ``-n 2``; the live server shares them; the wrong-database check covers them; the run's cleanup
sees them as the run's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from example_apps import (
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
from flask_harness.app.loading import AppShapeError, check_database
from flask_harness.db.backends import MysqlDatabases, PostgresDatabases, SqliteDatabases

BIND_TESTS = """
import json
import os
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from audited import AuditEntry, Item


def test_1_a_post_writes_both_databases(db, client, flask_harness_settings):
    assert client.post("/items", data={"name": "lamp"}).status_code == 201
    assert client.get("/audit").get_json() == ["added lamp"]
    assert db.session.scalars(db.select(AuditEntry.message)).all() == ["added lamp"]
    urls = {key or "default": engine.url.render_as_string() for key, engine in db.engines.items()}
    options = {"pre_ping": db.engines["audit"].pool._pre_ping}
    Path(os.environ["RECORDS"], flask_harness_settings.worker + ".json").write_text(json.dumps({**urls, **options}))


def test_2_a_live_request_writes_both_in_the_tests_transaction(db, live):
    urlopen(Request(f"{live.url}/items", data=b"name=desk", method="POST"), timeout=30)
    assert db.session.scalars(db.select(Item.name)).all() == ["desk"]
    assert db.session.scalars(db.select(AuditEntry.message)).all() == ["added desk"]


def test_3_a_savepoint_undoes_both(db, client, _shared_connection):
    client.post("/items", data={"name": "kept"})
    with _shared_connection.savepoint():
        client.post("/items", data={"name": "undone"})
    assert client.get("/audit").get_json() == ["added kept"]


@pytest.mark.live_commit
def test_4_live_commit_commits_both_for_real(db, client):
    client.post("/items", data={"name": "real"})
    with db.engines["audit"].connect() as connection:  # a connection of its own sees only real commits
        assert connection.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 1


def test_5_the_next_test_sees_neither(client):
    assert client.get("/items").get_json() == []
    assert client.get("/audit").get_json() == []
"""

# (the run's server, the server the app's audit bind names)
SERVERS = [
    pytest.param(None, None, id="sqlite"),
    pytest.param(POSTGRES_SERVER, POSTGRES_SERVER, id="postgresql"),
    pytest.param(MYSQL_SERVER, MYSQL_SERVER, id="mariadb"),
    pytest.param(POSTGRES_SERVER, MYSQL_SERVER, id="postgresql-with-a-mariadb-bind"),
]
WORKERS = [pytest.param((), id="serial"), pytest.param(("-n", "2", "--dist", "each"), id="n2")]


@pytest.mark.parametrize("workers", WORKERS)
@pytest.mark.parametrize(("server", "bind_server"), SERVERS)
def test_every_bind_gets_a_test_database_per_worker_rolled_back_with_the_default_and_dropped_at_the_end(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str | None, bind_server: str | None,
    workers: tuple[str, ...],
) -> None:
    base = unique_base()
    copy_app(pytester, "binds")
    write_ini(pytester, flask_app="audited:create_app",
              flask_harness_db_url="sqlite://" if server is None else f"{server}/{base}")
    if bind_server is not None:  # the app's own audit database, which the tests must never touch
        monkeypatch.setenv("AUDIT_DATABASE_URL", f"{bind_server}/{base}")
    pytester.makepyfile(test_binds=BIND_TESTS)
    folder = records(pytester, monkeypatch)

    try:
        result = run(pytester, *workers)

        result.assert_outcomes(passed=10 if workers else 5)
        seen = read_records(folder)
        assert sorted(seen) == (["gw0", "gw1"] if workers else ["main"])
        for worker, record in seen.items():
            assert record["pre_ping"] is True  # the bind's engine options are kept
            if server is None:
                assert record["default"].endswith(f"/test_{worker}.sqlite")
                assert record["audit"].endswith(f"/test_{worker}_audit.sqlite")
            else:
                assert re.fullmatch(rf".*/test_{base}_[0-9a-f]{{8}}_{worker}(\?.*)?", record["default"])
                assert record["audit"].startswith(bind_server.partition("://")[0].partition("+")[0])
                assert re.fullmatch(rf".*/test_{base}_[0-9a-f]{{8}}_{worker}_audit(\?.*)?", record["audit"])
        for used in {server, bind_server} - {None}:
            assert server_databases(used, f"test_{base}") == []  # workers', binds' and templates dropped
            assert server_databases(used, base) == []  # the URLs' own databases never created
        assert not (pytester.path / "instance").exists()  # nor the app's own SQLite files
    finally:
        for used in {server, bind_server} - {None}:
            drop_databases(used, server_databases(used, f"test_{base}"))


def test_a_bind_left_on_its_own_database_fails_the_run_naming_it(pytester: pytest.Pytester) -> None:
    copy_app(pytester, "binds")
    write_ini(pytester, flask_app="audited:create_app")
    pytester.makeconftest("""
import pytest
from audited import create_app


@pytest.fixture(scope="session")
def flask_app_factory():
    def make(overrides):
        app = create_app(dict(overrides))
        app.config["SQLALCHEMY_BINDS"] = {}  # its engines are built: the config no longer names them
        return app

    return make
""")
    pytester.makepyfile(test_binds=BIND_TESTS)

    result = run(pytester)

    result.assert_outcomes(errors=5)
    result.stdout.fnmatch_lines(["*The app's database is not the test database*audit → sqlite:///*/instance/audit.sqlite*"])
    assert not (pytester.path / "instance").exists()


def app_with_binds(url: str, **binds: str) -> Flask:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_BINDS=binds)
    SQLAlchemy().init_app(app)
    return app


def test_check_database_accepts_every_bind_on_its_test_database() -> None:
    app = app_with_binds("sqlite:////run/test_main.sqlite", audit="sqlite:////run/test_main_audit.sqlite")

    check_database(app, "sqlite:////run/test_main.sqlite", {"audit": "sqlite:////run/test_main_audit.sqlite"})


@pytest.mark.parametrize(("binds", "expected", "named"), [
    ({"audit": "sqlite:////run/audit.sqlite"}, {"audit": "sqlite:////run/test_main_audit.sqlite"},
     "audit → sqlite:////run/audit.sqlite"),
    ({"audit": "sqlite:////run/test_main_audit.sqlite", "cache": "sqlite:////run/cache.sqlite"},
     {"audit": "sqlite:////run/test_main_audit.sqlite"}, "cache → sqlite:////run/cache.sqlite"),
])
def test_check_database_refuses_a_bind_elsewhere(binds: dict[str, str], expected: dict[str, str], named: str) -> None:
    with pytest.raises(AppShapeError) as refused:
        check_database(app_with_binds("sqlite:////run/test_main.sqlite", **binds), "sqlite:////run/test_main.sqlite",
                       expected)

    assert named in str(refused.value)


@pytest.mark.parametrize("backend", [PostgresDatabases, MysqlDatabases])
def test_a_binds_databases_are_named_as_the_runs_own_for_its_cleanup(tmp_path: Path, backend: type) -> None:
    bind = backend("postgresql://u@h/webapp", tmp_path, "0123abcd", bind_key="audit")
    main = backend("postgresql://u@h/webapp", tmp_path, "0123abcd")

    assert bind.name("gw0") == "test_webapp_0123abcd_gw0_audit"
    assert bind.template == "test_webapp_0123abcd_template_audit"
    assert bind.template != main.template
    assert main.runs_on_server_pattern().fullmatch(bind.name("gw0"))[1] == "0123abcd"
    assert main.runs_on_server_pattern().fullmatch(bind.template)[1] == "0123abcd"


def test_a_sqlite_binds_files_are_named_after_worker_and_key(tmp_path: Path) -> None:
    bind = SqliteDatabases(tmp_path, bind_key="audit")

    assert bind.url_for("gw0") == f"sqlite:///{tmp_path}/test_gw0_audit.sqlite"
    assert bind.template.name == "test_template_audit.sqlite"
