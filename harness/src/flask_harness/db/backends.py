"""Per-worker test databases, copied from a template that the first worker builds once per run.

The first worker to take the run's lock builds the schema in its own database and saves a copy as
the template; every other worker clones the template. How a copy is made depends on the server:

- SQLite: a file copy.
- PostgreSQL: ``CREATE DATABASE … TEMPLATE …``.
- MySQL/MariaDB (no templates): each table's ``SHOW CREATE TABLE`` replayed, then
  ``INSERT … SELECT`` of its rows, with foreign key checks off.

A bind of the app (``SQLALCHEMY_BINDS``) has a backend of its own, whose names end in its key
(``test_<base>_<run>_<worker>_<key>``, ``test_<worker>_<key>.sqlite``): on a server they are the
run's own to ``runs_on_server``, so the run's cleanup drops them with the rest.

Only databases whose name starts with ``test_`` are ever created, emptied or dropped.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from flask_harness.db.drivers import with_driver

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TEST_PREFIX = "test_"
LOCK_TIMEOUT_SECONDS = 600
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


def _suffix(bind_key: str | None) -> str:
    """``_<key>`` for a bind's databases (characters other than letters, digits and ``_`` as ``_``)."""
    return "" if bind_key is None else "_" + re.sub(r"\W", "_", bind_key)


class SqliteDatabases(_Locked):
    """SQLite files in the run's folder."""

    def __init__(self, root: Path, bind_key: str | None = None) -> None:
        self.root = root
        self.suffix = _suffix(bind_key)
        self.template = root / f"test_template{self.suffix}.sqlite"

    def _path(self, worker: str) -> Path:
        return self.root / f"test_{worker}{self.suffix}.sqlite"

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
        building = self.root / f"test_template{self.suffix}.building.sqlite"
        shutil.copyfile(self._path(worker), building)
        building.replace(self.template)  # atomic: never a half-written template

    def drop(self, worker: str) -> None:
        check_test_database(self._path(worker).name)
        self._path(worker).unlink(missing_ok=True)

    def drop_template(self) -> None:
        self.template.unlink(missing_ok=True)

    def describe(self, worker: str) -> str:
        return str(self._path(worker))


class ServerDatabases(_Locked):
    """Databases on a server, named ``test_<base>_<run id>_<worker>``."""

    # The database the admin connection opens: one every server has (never the URL's own, which
    # need not exist; URL.set(database=None) would keep it).
    maintenance_database: str

    def __init__(self, server_url: str, root: Path, run_id: str, bind_key: str | None = None) -> None:
        self.url = with_driver(server_url)
        self.root = root
        self.run_id = run_id
        self.base = (self.url.database or "app").removeprefix(TEST_PREFIX)
        self.prefix = f"{TEST_PREFIX}{self.base}_{run_id}"
        self.suffix = _suffix(bind_key)
        self.template = f"{self.prefix}_template{self.suffix}"

    def name(self, worker: str) -> str:
        return f"{self.prefix}_{worker}{self.suffix}"

    def url_for(self, worker: str) -> str:
        return self.url.set(database=self.name(worker)).render_as_string(hide_password=False)

    def describe(self, worker: str) -> str:
        return self.url.set(database=self.name(worker)).render_as_string(hide_password=True)

    @contextmanager
    def connected(self) -> Iterator[Connection]:
        """A connection to the server outside any transaction; unreachable is one clear error."""
        connection = self.connect_admin()
        try:
            yield connection
        finally:
            connection.close()
            connection.engine.dispose()

    def connect_admin(self) -> Connection:
        """A connection to the server's maintenance database, in autocommit; the caller closes it."""
        from sqlalchemy import create_engine
        from sqlalchemy.engine import URL
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.pool import NullPool

        # URL.set(database=None) keeps the database: build the server's URL without one.
        server = URL.create(self.url.drivername, self.url.username, self.url.password, self.url.host,
                            self.url.port, self.maintenance_database, self.url.query)
        engine = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            return engine.connect()
        except OperationalError as exc:
            engine.dispose()
            raise DatabaseUnreachable(
                f"Cannot reach the test database server "
                f"{self.url.render_as_string(hide_password=True)}: is it running, and does the "
                f"URL (--db-url, FLASK_HARNESS_DB_URL or ini flask_harness_db_url) name it?\n"
                f"{exc.orig}") from None

    def _execute(self, *statements: str) -> None:
        from sqlalchemy import text

        with self.connected() as connection:
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

    # --- the run's liveness on the server (see db.leftovers) ---------------------------------------

    def runs_on_server(self, connection: Connection) -> dict[str, list[str]]:
        """This app's test databases on the server, by the id of the run that made them."""
        from sqlalchemy import text

        pattern = self.runs_on_server_pattern()
        names = connection.execute(text(self._list_sql), {"like": TEST_PREFIX.replace("_", r"\_") + "%"})
        runs: dict[str, list[str]] = {}
        for name in sorted(names.scalars()):
            match = pattern.fullmatch(name)
            if match:
                runs.setdefault(match[1], []).append(name)
        return runs

    def runs_on_server_pattern(self) -> re.Pattern[str]:
        """A name of this app's test databases (binds' too), the run's id its group."""
        return re.compile(rf"{re.escape(TEST_PREFIX + self.base)}_([0-9a-f]{{8}})_\w+")

    def drop_databases(self, connection: Connection, names: list[str]) -> None:
        """Drop each database, whoever is still connected to it."""
        from sqlalchemy import text

        for name in names:
            check_test_database(name)
            for statement in self._drop_sql(name):
                connection.execute(text(statement))

    def kept_mark(self) -> str:
        """The empty database that says a ``--keep-db`` run kept its databases on purpose."""
        return f"{self.prefix}_kept"

    def mark_kept(self) -> None:
        self._execute(*self._drop_sql(self.kept_mark()), f"CREATE DATABASE {self._quote(self.kept_mark())}")

    def hold_run_lock(self, connection: Connection) -> None:
        """Take this run's lock on the server, held until the connection closes (or the run dies)."""
        raise NotImplementedError

    def run_is_dead(self, connection: Connection, run_id: str) -> bool:
        """Whether no live run holds that run's lock on the server."""
        raise NotImplementedError

    _list_sql: str

    def _quote(self, name: str) -> str:
        raise NotImplementedError

    def _drop_sql(self, name: str) -> tuple[str, ...]:
        raise NotImplementedError


class PostgresDatabases(ServerDatabases):
    """PostgreSQL: a worker's database is ``CREATE DATABASE … TEMPLATE``, about 40 ms."""

    maintenance_database = "postgres"
    _list_sql = "SELECT datname FROM pg_database WHERE datname LIKE :like"
    # pg_advisory_lock's first key, for the harness's locks: the bytes of "fhar" (the second: the run id).
    _LOCK_CLASS = int.from_bytes(b"fhar", "big")

    def _run_key(self, run_id: str) -> int:
        key = int(run_id, 16)
        return key - 2**32 if key >= 2**31 else key  # the second key is a signed 32-bit integer

    def hold_run_lock(self, connection: Connection) -> None:
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_lock(:cls, :run)"),
                           {"cls": self._LOCK_CLASS, "run": self._run_key(self.run_id)})

    def run_is_dead(self, connection: Connection, run_id: str) -> bool:
        """A session lock this connection gets is free: its run is dead (it is released at once)."""
        from sqlalchemy import text

        keys = {"cls": self._LOCK_CLASS, "run": self._run_key(run_id)}
        if not connection.execute(text("SELECT pg_try_advisory_lock(:cls, :run)"), keys).scalar():
            return False
        connection.execute(text("SELECT pg_advisory_unlock(:cls, :run)"), keys)
        return True

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


class MysqlDatabases(ServerDatabases):
    """MySQL and MariaDB, which have no template databases: tables and rows are copied."""

    maintenance_database = "information_schema"
    _list_sql = "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :like"

    def hold_run_lock(self, connection: Connection) -> None:
        from sqlalchemy import text

        connection.execute(text("SELECT GET_LOCK(:name, 0)"), {"name": f"flask_harness_{self.run_id}"})

    def run_is_dead(self, connection: Connection, run_id: str) -> bool:
        from sqlalchemy import text

        return bool(connection.execute(text("SELECT IS_FREE_LOCK(:name)"), {"name": f"flask_harness_{run_id}"})
                    .scalar())

    def drop_databases(self, connection: Connection, names: list[str]) -> None:
        """Drop each database, after ending the sessions still using it (DROP would wait for them)."""
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        for name in names:
            check_test_database(name)
            sessions = connection.execute(text(
                "SELECT id FROM information_schema.processlist WHERE db = :name AND id <> CONNECTION_ID()"),
                {"name": name}).scalars().all()
            for session in sessions:
                with suppress(DBAPIError):  # it ended meanwhile
                    connection.execute(text(f"KILL {int(session)}"))
        super().drop_databases(connection, names)

    def _quote(self, name: str) -> str:
        return f"`{name}`"

    def _drop_sql(self, name: str) -> tuple[str, ...]:
        return (f"DROP DATABASE IF EXISTS `{name}`",)

    def _copy(self, source: str, target: str) -> None:
        from sqlalchemy import text

        check_test_database(target)
        with self.connected() as connection:
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


def backend_for(db_url: str, root: Path, run_id: str, bind_key: str | None = None) -> DatabaseBackend:
    """The backend for the configured database server (for a bind's databases, given its key)."""
    scheme = db_url.partition(":")[0].partition("+")[0]
    if scheme == "sqlite":
        return SqliteDatabases(root, bind_key)
    if scheme in ("postgres", "postgresql"):
        return PostgresDatabases(db_url, root, run_id, bind_key)
    if scheme in ("mysql", "mariadb"):
        return MysqlDatabases(db_url, root, run_id, bind_key)
    raise pytest.UsageError(
        f"Unsupported test database URL {db_url!r}: use sqlite://, postgresql://… or mysql://…."
    )
