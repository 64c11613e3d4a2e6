"""Database naming, drivers and the backends' create / template / clone / drop, on each real server."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from example_apps import MYSQL_SERVER, POSTGRES_SERVER, server_databases, unique_base
from flask_harness.db.backends import (
    DatabaseUnreachable,
    MysqlDatabases,
    PostgresDatabases,
    SqliteDatabases,
    UnsafeDatabaseName,
    backend_for,
    check_test_database,
)
from flask_harness.db.drivers import with_driver


@pytest.mark.parametrize("name", ["webapp", "production", "/tmp/app.sqlite", "my_test_db"])
def test_check_test_database_refuses_a_name_without_the_test_prefix(name: str) -> None:
    with pytest.raises(UnsafeDatabaseName, match=f"Refusing to create, reset or drop database '{name}'"):
        check_test_database(name)


@pytest.mark.parametrize("name", ["test_x", "/tmp/run/test_gw0.sqlite"])
def test_check_test_database_accepts_a_test_database(name: str) -> None:
    check_test_database(name)  # does not raise


def hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``importlib.util.find_spec`` say these modules are not installed."""
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name in modules else find_spec(name, *args))


@pytest.mark.parametrize(("url", "hidden", "driver"), [
    ("postgresql+psycopg://u@h/app", (), "postgresql+psycopg"),
    ("postgresql+psycopg2://u@h/app", ("psycopg2",), "postgresql+psycopg2"),  # named: kept even if absent
    ("postgresql://u@h/app", (), "postgresql+psycopg2"),
    ("postgres://u@h/app", (), "postgresql+psycopg2"),
    ("postgresql://u@h/app", ("psycopg2",), "postgresql+psycopg"),
    ("postgresql://u@h/app", ("psycopg",), "postgresql+psycopg2"),
    ("mysql://root@h/app", (), "mysql+pymysql"),
    ("mariadb://root@h/app", (), "mysql+pymysql"),
    ("mariadb+pymysql://root@h/app", (), "mariadb+pymysql"),
    ("sqlite:///x.sqlite", (), "sqlite"),
])
def test_with_driver_keeps_the_urls_driver_else_takes_the_first_installed(
    monkeypatch: pytest.MonkeyPatch, url: str, hidden: tuple[str, ...], driver: str,
) -> None:
    hide(monkeypatch, *hidden)

    assert with_driver(url).drivername == driver


@pytest.mark.parametrize(("url", "hidden", "extra"), [
    ("postgresql://u@h/app", ("psycopg2", "psycopg", "pg8000"), "postgres"),
    ("mysql://u@h/app", ("MySQLdb", "pymysql", "mysql"), "mysql"),
])
def test_with_driver_and_no_driver_installed_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, url: str, hidden: tuple[str, ...], extra: str,
) -> None:
    hide(monkeypatch, *hidden)

    with pytest.raises(pytest.UsageError, match=rf"pip install 'pytest-flask-harness\[{extra}\]'"):
        with_driver(url)


def test_server_databases_are_named_after_base_run_and_worker(tmp_path: Path) -> None:
    databases = PostgresDatabases("postgres://u:s3cret@h:5433/webapp", tmp_path, "abc")

    assert databases.name("gw0") == "test_webapp_abc_gw0"
    assert databases.template == "test_webapp_abc_template"
    assert databases.describe("gw0") == "postgresql+psycopg2://u:***@h:5433/test_webapp_abc_gw0"
    assert databases.url_for("gw0") == "postgresql+psycopg2://u:s3cret@h:5433/test_webapp_abc_gw0"


@pytest.mark.parametrize(("url", "name"), [("postgresql://u@h/test_app", "test_app_abc_main"),
                                           ("mysql://u@h", "test_app_abc_main")])
def test_a_url_naming_a_test_database_or_none_gets_the_prefix_once(tmp_path: Path, url: str, name: str) -> None:
    assert backend_for(url, tmp_path, "abc").url_for("main").endswith(f"/{name}")


@pytest.mark.parametrize(("url", "backend"), [
    ("sqlite://", SqliteDatabases), ("sqlite:///app.db", SqliteDatabases),
    ("postgresql://u@h/app", PostgresDatabases), ("postgres://u@h/app", PostgresDatabases),
    ("postgresql+psycopg://u@h/app", PostgresDatabases),
    ("mysql://u@h/app", MysqlDatabases), ("mariadb+pymysql://u@h/app", MysqlDatabases),
])
def test_backend_for_picks_the_servers_backend(tmp_path: Path, url: str, backend: type) -> None:
    assert isinstance(backend_for(url, tmp_path, "abc"), backend)


def test_backend_for_an_unsupported_url_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.UsageError, match="Unsupported test database URL 'oracle://u@h/app'"):
        backend_for("oracle://u@h/app", tmp_path, "abc")


@pytest.mark.parametrize("server", ["postgresql://postgres@127.0.0.1:1/app", "mysql://root@127.0.0.1:1/app"])
def test_an_unreachable_server_is_one_usage_error_naming_it_without_password(tmp_path: Path, server: str) -> None:
    databases = backend_for(server.replace("@", ":s3cret@"), tmp_path, "abc")

    with pytest.raises(DatabaseUnreachable, match="Cannot reach the test database server") as unreachable:
        databases.create_empty("main")

    assert "127.0.0.1:1" in str(unreachable.value)
    assert "s3cret" not in str(unreachable.value)


def rows(url: str) -> list[Any]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("SELECT name FROM role ORDER BY name")).scalars())
    finally:
        engine.dispose()


def fill(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE role (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
            connection.execute(text("INSERT INTO role (id, name) VALUES (1, 'admin'), (2, 'reader')"))
    finally:
        engine.dispose()


def test_sqlite_worker_databases_are_copies_of_the_template_file(tmp_path: Path) -> None:
    databases = SqliteDatabases(tmp_path)
    with databases.lock():
        databases.create_empty("gw0")
        fill(databases.url_for("gw0"))
        databases.save_as_template("gw0")
    databases.clone_template("gw1")

    copied = rows(databases.url_for("gw1"))
    databases.drop("gw0")
    databases.drop("gw1")
    databases.drop_template()

    assert copied == ["admin", "reader"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["template.lock"]
    assert databases.describe("gw0") == str(tmp_path / "test_gw0.sqlite")


@pytest.mark.parametrize("server", [pytest.param(POSTGRES_SERVER, id="postgresql"),
                                    pytest.param(MYSQL_SERVER, id="mysql")])
def test_server_worker_databases_are_copies_of_the_template_and_all_are_dropped(tmp_path: Path, server: str) -> None:
    base = unique_base()
    databases = backend_for(f"{server}/{base}", tmp_path, "run1")
    try:
        databases.create_empty("gw0")
        fill(databases.url_for("gw0"))
        assert not databases.template_exists()
        databases.save_as_template("gw0")
        databases.clone_template("gw1")
        during = server_databases(server, f"test_{base}")
        copied = rows(databases.url_for("gw1"))
        made_template = databases.template_exists()
    finally:
        databases.drop("gw0")
        databases.drop("gw1")
        databases.drop_template()

    assert during == [f"test_{base}_run1_gw0", f"test_{base}_run1_gw1", f"test_{base}_run1_template"]
    assert copied == ["admin", "reader"]
    assert made_template
    assert server_databases(server, f"test_{base}") == []
