"""Per-worker test databases cloned from a template that is built once per run.

SQLite: the template is a file; a worker's database is a copy of it.
PostgreSQL: the template is a database; a worker's is ``CREATE DATABASE … TEMPLATE …``.
The template is built by whichever process takes the file lock first; the others wait and reuse it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pytest
from filelock import FileLock
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

TEST_PREFIX = "test_"
LOCK_TIMEOUT_SECONDS = 300

SchemaBuilder = Callable[[str], None]
"""Builds the schema (migrations) in the empty database at the given URL."""


class UnsafeDatabaseName(pytest.UsageError):  # type: ignore[misc]  # reported like a usage error
    """The harness was asked to touch a database that is not marked as a test database."""


def check_test_database(name: str) -> None:
    """Refuse any database whose name does not start with ``test_``."""
    if not Path(name).name.startswith(TEST_PREFIX):
        raise UnsafeDatabaseName(
            f"Refusing to create, reset or drop database {name!r}: its name does not start with "
            f"{TEST_PREFIX!r}, so it may hold real data. The harness only manages test databases."
        )


class TestDatabases(Protocol):
    """What the fixtures need from a database backend."""

    def ensure_template(self, build: SchemaBuilder) -> None: ...
    def create_worker_database(self, worker: str) -> str: ...
    def drop_worker_database(self, worker: str) -> None: ...
    def drop_template(self) -> None: ...
    def describe(self, worker: str) -> str: ...


class SqliteDatabases:
    """SQLite files under pytest's temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "test_template.sqlite"

    def _worker_path(self, worker: str) -> Path:
        return self.root / f"test_{worker}.sqlite"

    def ensure_template(self, build: SchemaBuilder) -> None:
        with FileLock(str(self.root / "test_template.lock"), timeout=LOCK_TIMEOUT_SECONDS):
            if self.template.exists():
                return
            building = self.root / "test_template.building.sqlite"
            building.unlink(missing_ok=True)
            build(f"sqlite:///{building}")
            building.replace(self.template)  # atomic: never a half-built template

    def create_worker_database(self, worker: str) -> str:
        target = self._worker_path(worker)
        check_test_database(target.name)
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def drop_worker_database(self, worker: str) -> None:
        target = self._worker_path(worker)
        check_test_database(target.name)
        target.unlink(missing_ok=True)

    def drop_template(self) -> None:
        self.template.unlink(missing_ok=True)

    def describe(self, worker: str) -> str:
        return str(self._worker_path(worker))


class PostgresDatabases:
    """Databases on a PostgreSQL server, named ``test_<base>_<run id>_<worker>``."""

    def __init__(self, server_url: str, root: Path, run_id: str) -> None:
        url = make_url(_psycopg(server_url))
        base = (url.database or "app").removeprefix(TEST_PREFIX)
        self.url = url
        self.root = root
        self.prefix = f"{TEST_PREFIX}{base}_{run_id}"
        self.template = f"{self.prefix}_template"

    def worker_name(self, worker: str) -> str:
        return f"{self.prefix}_{worker}"

    def _url_for(self, name: str) -> URL:
        return self.url.set(database=name)

    def _admin(self, *statements: str) -> None:
        """Run statements on the maintenance database, outside any transaction."""
        engine = create_engine(self._url_for("postgres"), isolation_level="AUTOCOMMIT",
                               poolclass=_null_pool())
        try:
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(text(statement))
        except OperationalError as exc:
            if "Connection refused" in str(exc) or "could not connect" in str(exc).lower() \
                    or "connection failed" in str(exc).lower():
                raise pytest.UsageError(
                    f"Cannot reach PostgreSQL at {self.url.render_as_string(hide_password=True)}: "
                    f"is a server running? Start one with `docker compose up -d db`, or unset "
                    f"DATABASE_URL to test on SQLite.\n{exc.orig}"
                ) from None
            raise
        finally:
            engine.dispose()

    def ensure_template(self, build: SchemaBuilder) -> None:
        marker = self.root / f"{self.template}.built"
        with FileLock(str(self.root / f"{self.template}.lock"), timeout=LOCK_TIMEOUT_SECONDS):
            if marker.exists():
                return
            check_test_database(self.template)
            (self.root / f"{self.template}.started").touch()  # drop_template: there may be one
            self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
                        f'CREATE DATABASE "{self.template}"')
            build(self._url_for(self.template).render_as_string(hide_password=False))
            marker.touch()

    def create_worker_database(self, worker: str) -> str:
        name = self.worker_name(worker)
        check_test_database(name)
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                    f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url_for(name).render_as_string(hide_password=False)

    def drop_worker_database(self, worker: str) -> None:
        name = self.worker_name(worker)
        check_test_database(name)
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_template(self) -> None:
        check_test_database(self.template)
        if not (self.root / f"{self.template}.started").exists():
            return  # no test of this run used a database: nothing to drop, no server to reach
        self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    def describe(self, worker: str) -> str:
        return self._url_for(self.worker_name(worker)).render_as_string(hide_password=True)


def _psycopg(url: str) -> str:
    """Use the psycopg 3 driver for plain PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def backend_for(database_url: str, root: Path, run_id: str) -> TestDatabases:
    """Pick the backend for the configured database server."""
    if database_url.startswith("sqlite"):
        return SqliteDatabases(root)
    if database_url.startswith(("postgres://", "postgresql")):
        return PostgresDatabases(database_url, root, run_id)
    raise pytest.UsageError(
        f"Unsupported test database URL {database_url!r}: use 'sqlite://' or a postgresql:// URL."
    )
