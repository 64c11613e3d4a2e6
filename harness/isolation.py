"""Per-test isolation: one connection in an outer transaction that is rolled back after the test.

Every session the app opens during the test (the test's own, the test client's, a live server
thread's) is bound to that one connection and joins it through a SAVEPOINT, following SQLAlchemy 2's
"Joining a Session into an External Transaction" recipe. Commits release savepoints; the outer
rollback makes the whole test vanish. For a live server, threads take turns on the connection
through ``lock`` (as Rails system tests do).
"""

from __future__ import annotations

import threading
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, RootTransaction
from sqlalchemy.orm import scoped_session, sessionmaker


class PinnedSession(FlaskSession):
    """Flask-SQLAlchemy's session, always bound to the shared connection.

    Flask-SQLAlchemy's own ``get_bind`` picks an engine from the app, ignoring ``bind=``.
    """

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


def enable_sqlite_savepoints(engine: Engine) -> None:
    """Let pysqlite use SAVEPOINTs: SQLAlchemy emits BEGIN itself instead of the driver."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _emit_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


class SharedConnection:
    """The outer transaction of one test, and the sessions that join it."""

    def __init__(self, db: SQLAlchemy, engine: Engine) -> None:
        self.db = db
        self.engine = engine
        self.lock = threading.RLock()
        self.connection: Connection | None = None
        self._outer: RootTransaction | None = None
        self._original_session: scoped_session | None = None
        self._scoped: scoped_session | None = None
        self._locking = False
        self._held = threading.local()

    def start(self) -> None:
        """Begin the outer transaction and route ``db.session`` to it.

        The connection is opened once and kept for the worker's tests: a test costs a BEGIN and
        a ROLLBACK, not a pool checkout and return (bench.isolation).
        """
        if self.connection is None or self.connection.closed or self.connection.invalidated:
            self.connection = self.engine.connect()
            factory = sessionmaker(
                class_=PinnedSession,
                db=self.db,
                bind=self.connection,
                join_transaction_mode="create_savepoint",
            )
            self._scoped = scoped_session(factory, scopefunc=_app_ctx_id)
        self._outer = self.connection.begin()
        self._original_session = self.db.session
        self.db.session = self._scoped  # type: ignore[assignment]

    def stop(self) -> None:
        """Close every session of the test, roll everything back, restore ``db.session``."""
        if self.connection is None or self._outer is None or self._scoped is None:
            return
        with self.lock:
            registry = self._scoped.registry.registry  # type: ignore[attr-defined]
            for session in list(registry.values()):
                session.close()
            registry.clear()
            self.db.session = self._original_session  # type: ignore[assignment]
            if self._outer.is_active:
                self._outer.rollback()
            self._outer = None
            self.share_between_threads(False)

    def close(self) -> None:
        """Give the connection back at the end of the worker's session."""
        self.stop()
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def share_between_threads(self, enabled: bool = True) -> None:
        """Make every statement take ``lock``, so the test thread waits for in-flight requests.

        The live server holds the (re-entrant) lock for a whole request; the test thread takes it
        per statement, so it never runs SQL in the middle of someone else's savepoint.
        """
        if enabled == self._locking or self.connection is None:
            return
        if enabled:
            event.listen(self.connection, "before_cursor_execute", self._acquire)
            event.listen(self.connection, "after_cursor_execute", self._release)
            event.listen(self.engine, "handle_error", self._release_on_error)
        else:
            event.remove(self.connection, "before_cursor_execute", self._acquire)
            event.remove(self.connection, "after_cursor_execute", self._release)
            event.remove(self.engine, "handle_error", self._release_on_error)
        self._locking = enabled

    def _acquire(self, *_args: Any) -> None:
        self.lock.acquire()
        self._held.count = getattr(self._held, "count", 0) + 1

    def _release(self, *_args: Any) -> None:
        self._held.count -= 1
        self.lock.release()

    def _release_on_error(self, _context: Any) -> None:
        # A failed statement never reaches after_cursor_execute; release what it took, if anything.
        if getattr(self._held, "count", 0) > 0:
            self._release()
