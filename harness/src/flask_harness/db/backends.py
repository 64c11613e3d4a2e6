"""Per-worker test databases, copied from a template that the first worker builds once per run.

The first worker to take the run's lock builds the schema in its own database and saves a copy as
the template; every other worker clones the template. How a copy is made depends on the server:

- SQLite: a file copy.
- PostgreSQL: ``CREATE DATABASE … TEMPLATE …``.
- MySQL/MariaDB (no templates): each table's ``SHOW CREATE TABLE`` replayed, then
  ``INSERT … SELECT`` of its rows, with foreign key checks off.

Only databases whose name starts with ``test_`` are ever created, emptied or dropped.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection

TEST_PREFIX = "test_"
LOCK_TIMEOUT_SECONDS = 600
_DRIVERS = {
    # backend: the drivers SQLAlchemy can use, in its own order of preference
    "postgresql": (("psycopg2", "psycopg2"), ("psycopg", "psycopg"), ("pg8000", "pg8000")),
    "mysql": (("MySQLdb", "mysqldb"), ("pymysql", "pymysql"), ("mysql.connector", "mysqlconnector")),
}


class UnsafeDatabaseName(pytest.UsageError):  # type: ignore[misc]  # reported like a usage error
    """The harness was asked to touch a database that is not marked as a test database."""


class DatabaseUnreachable(pytest.UsageError):  # type: ignore[misc]
    """The test database server does not answer."""


def check_test_database(name: str) -> None:
    """Refuse any database whose name does not start with ``test_``."""
    if not Path(name).name.startswith(TEST_PREFIX):
        raise UnsafeDatabaseName(
            f"Refusing to create, reset or drop database {name!r}: its name does not start with "
            f"{TEST_PREFIX!r}, so it may hold real data. The harness only manages test databases."
        )


def with_driver(url: str) -> URL:
    """The URL with a driver: the one it names, else the first one installed.

    ``postgresql://`` means psycopg2 to SQLAlchemy; an app that has only psycopg 3 gets it instead.
    """
    from sqlalchemy.engine import make_url

    if url.startswith("postgres://"):  # Heroku's spelling, which SQLAlchemy refuses
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    backend = "mysql" if backend == "mariadb" and not driver else backend
    if driver or backend not in _DRIVERS:
        return parsed
    for module, name in _DRIVERS[backend]:
        if importlib.util.find_spec(module.split(".")[0]) is not None:
            return parsed.set(drivername=f"{backend}+{name}")
    modules = ", ".join(module for module, _ in _DRIVERS[backend])
    extra = {"postgresql": "postgres", "mysql": "mysql"}[backend]
    raise pytest.UsageError(f"No {backend} driver is installed for {url!r}: install one of {modules} "
                            f"(pip install 'pytest-flask-harness[{extra}]').")



def driver_scheme(url: str) -> str:
    """``postgresql+psycopg2``: the URL's database with the driver ``with_driver`` connects with.

    Apps break differently on psycopg 2 and 3 (or on pymysql and mysqlclient): the header says which.
    """
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = with_driver(url)
        return f"{parsed.get_backend_name()}+{parsed.get_dialect().driver}"  # sqlite: sqlite+pysqlite
    except (pytest.UsageError, ArgumentError, NoSuchModuleError):  # said in full at the first connection
        return url.partition(":")[0]

class DatabaseBackend(Protocol):
    """What the fixtures need from a database server."""

    def url_for(self, worker: str) -> str: ...
    def lock(self) -> AbstractContextManager[None]: ...
    def template_exists(self) -> bool: ...
    def create_empty(self, worker: str) -> None: ...
    def clone_template(self, worker: str) -> None: ...
    def save_as_template(self, worker: str) -> None: ...
    def drop(self, worker: str) -> None: ...
    def drop_template(self) -> None: ...
    def describe(self, worker: str) -> str: ...


class _Locked:
    """The run-wide file lock, shared by every backend."""

    root: Path

    @contextmanager
    def lock(self) -> Iterator[None]:
        from filelock import FileLock

        self.root.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.root / "template.lock"), timeout=LOCK_TIMEOUT_SECONDS):
            yield


class SqliteDatabases(_Locked):
    """SQLite files in the run's folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "test_template.sqlite"

    def _path(self, worker: str) -> Path:
        return self.root / f"test_{worker}.sqlite"

    def url_for(self, worker: str) -> str:
        return f"sqlite:///{self._path(worker)}"

    def template_exists(self) -> bool:
        return self.template.exists()

    def create_empty(self, worker: str) -> None:
        self.drop(worker)

    def clone_template(self, worker: str) -> None:
        check_test_database(self._path(worker).name)
        shutil.copyfile(self.template, self._path(worker))

    def save_as_template(self, worker: str) -> None:
        building = self.root / "test_template.building.sqlite"
        shutil.copyfile(self._path(worker), building)
        building.replace(self.template)  # atomic: never a half-written template

    def drop(self, worker: str) -> None:
        check_test_database(self._path(worker).name)
        self._path(worker).unlink(missing_ok=True)

    def drop_template(self) -> None:
        self.template.unlink(missing_ok=True)

    def describe(self, worker: str) -> str:
        return str(self._path(worker))


class _ServerDatabases(_Locked):
    """Databases on a server, named ``test_<base>_<run id>_<worker>``."""

    # The database the admin connection opens: one every server has (never the URL's own, which
    # need not exist; URL.set(database=None) would keep it).
    maintenance_database: str

    def __init__(self, server_url: str, root: Path, run_id: str) -> None:
        self.url = with_driver(server_url)
        self.root = root
        base = (self.url.database or "app").removeprefix(TEST_PREFIX)
        self.prefix = f"{TEST_PREFIX}{base}_{run_id}"
        self.template = f"{self.prefix}_template"

    def name(self, worker: str) -> str:
        return f"{self.prefix}_{worker}"

    def url_for(self, worker: str) -> str:
        return self.url.set(database=self.name(worker)).render_as_string(hide_password=False)

    def describe(self, worker: str) -> str:
        return self.url.set(database=self.name(worker)).render_as_string(hide_password=True)

    @contextmanager
    def _admin(self) -> Iterator[Connection]:
        """A connection to the server outside any transaction; unreachable is one clear error."""
        from sqlalchemy import create_engine
        from sqlalchemy.engine import URL
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.pool import NullPool

        # URL.set(database=None) keeps the database: build the server's URL without one.
        server = URL.create(self.url.drivername, self.url.username, self.url.password, self.url.host,
                            self.url.port, self.maintenance_database, self.url.query)
        engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            try:
                connection = engine.connect()
            except OperationalError as exc:
                raise DatabaseUnreachable(
                    f"Cannot reach the test database server "
                    f"{self.url.render_as_string(hide_password=True)}: is it running, and does the "
                    f"URL (--db-url, FLASK_HARNESS_DB_URL or ini flask_harness_db_url) name it?\n"
                    f"{exc.orig}") from None
            with connection:
                yield connection
        finally:
            engine.dispose()

    def _execute(self, *statements: str) -> None:
        from sqlalchemy import text

        with self._admin() as connection:
            for statement in statements:
                connection.execute(text(statement))

    def template_exists(self) -> bool:
        return (self.root / f"{self.template}.built").exists()

    def _mark_template(self) -> None:
        (self.root / f"{self.template}.built").touch()

    def create_empty(self, worker: str) -> None:
        check_test_database(self.name(worker))
        self._execute(*self._drop_sql(self.name(worker)), f"CREATE DATABASE {self._quote(self.name(worker))}")

    def drop(self, worker: str) -> None:
        check_test_database(self.name(worker))
        self._execute(*self._drop_sql(self.name(worker)))

    def drop_template(self) -> None:
        check_test_database(self.template)
        self._execute(*self._drop_sql(self.template))

    def _quote(self, name: str) -> str:
        raise NotImplementedError

    def _drop_sql(self, name: str) -> tuple[str, ...]:
        raise NotImplementedError


class PostgresDatabases(_ServerDatabases):
    """PostgreSQL: a worker's database is ``CREATE DATABASE … TEMPLATE``, about 40 ms."""

    maintenance_database = "postgres"

    def _quote(self, name: str) -> str:
        return f'"{name}"'

    def _drop_sql(self, name: str) -> tuple[str, ...]:
        return (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',)

    def clone_template(self, worker: str) -> None:
        name = self.name(worker)
        check_test_database(name)
        self._execute(*self._drop_sql(name), f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')

    def save_as_template(self, worker: str) -> None:
        check_test_database(self.template)
        self._execute(*self._drop_sql(self.template),
                      f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name(worker)}"')
        self._mark_template()


class MysqlDatabases(_ServerDatabases):
    """MySQL and MariaDB, which have no template databases: tables and rows are copied."""

    maintenance_database = "information_schema"

    def _quote(self, name: str) -> str:
        return f"`{name}`"

    def _drop_sql(self, name: str) -> tuple[str, ...]:
        return (f"DROP DATABASE IF EXISTS `{name}`",)

    def _copy(self, source: str, target: str) -> None:
        from sqlalchemy import text

        check_test_database(target)
        with self._admin() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS `{target}`"))
            create = connection.execute(text(f"SHOW CREATE DATABASE `{source}`")).one()[1]
            connection.execute(text(create.replace(f"`{source}`", f"`{target}`", 1)))
            tables = connection.execute(text(
                f"SHOW FULL TABLES FROM `{source}` WHERE Table_type = 'BASE TABLE'")).scalars().all()
            connection.execute(text(f"USE `{target}`"))
            connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
            try:
                for table in tables:
                    ddl = connection.execute(text(f"SHOW CREATE TABLE `{source}`.`{table}`")).one()[1]
                    connection.execute(text(ddl))
                    connection.execute(text(f"INSERT INTO `{table}` SELECT * FROM `{source}`.`{table}`"))
            finally:
                connection.execute(text("SET FOREIGN_KEY_CHECKS = 1"))

    def clone_template(self, worker: str) -> None:
        self._copy(self.template, self.name(worker))

    def save_as_template(self, worker: str) -> None:
        self._copy(self.name(worker), self.template)
        self._mark_template()


def backend_for(db_url: str, root: Path, run_id: str) -> DatabaseBackend:
    """The backend for the configured database server."""
    scheme = db_url.partition(":")[0].partition("+")[0]
    if scheme == "sqlite":
        return SqliteDatabases(root)
    if scheme in ("postgres", "postgresql"):
        return PostgresDatabases(db_url, root, run_id)
    if scheme in ("mysql", "mariadb"):
        return MysqlDatabases(db_url, root, run_id)
    raise pytest.UsageError(
        f"Unsupported test database URL {db_url!r}: use sqlite://, postgresql://… or mysql://…."
    )
