"""Per-test isolation: one connection in an outer transaction that is rolled back after the test.

Every session the app opens during the test (the test's own, the test client's, a live server
thread's) is bound to that one connection and joins it through a SAVEPOINT, following SQLAlchemy 2's
"Joining a Session into an External Transaction" recipe. Commits release savepoints; the outer
rollback makes the whole test vanish. For a live server, threads take turns on the connection
through ``lock`` (as Rails system tests do). A request that outlives its test's drain is
abandoned: it keeps the lock it holds, the others take turns on a new one, and any statement it
runs afterwards raises ``AbandonedRequest`` instead of reaching a later test.

An app with ``SQLALCHEMY_BINDS`` has one such connection per engine, each in its own outer
transaction: a session sends a model's statements to the connection of the engine Flask-SQLAlchemy
picks for it (its ``__bind_key__``), and ``lock`` covers them all.

The app's own ``db.session`` stays in place: its session factory is pointed at the connection for
the test and restored after it, so session event listeners (``db.event.listen(db.session, …)``),
a custom session class and a custom query class all keep working, and references to ``db.session``
taken at import time (factory_boy's ``sqlalchemy_session``) see the test's data.

When the server ends the connection during a test (``pg_terminate_backend``, MariaDB's ``KILL``, a
restart), SQLAlchemy invalidates it and ``lost`` keeps the driver's error: the test fails (its
transaction is gone), and the next test's ``start`` opens a new connection.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.engine import Connection, Engine, ExceptionContext, RootTransaction
    from sqlalchemy.orm import Session


class AbandonedRequest(RuntimeError):
    """A live-server request the harness gave up on after its test ended tried to use the database."""


def enable_sqlite_savepoints(engine: Engine) -> None:
    """Let pysqlite use SAVEPOINTs: SQLAlchemy emits BEGIN itself instead of the driver."""
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _emit_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _pinned_class(session_class: type[Session], connections: Mapping[Engine, Connection]) -> type[Session]:
    """A subclass of the app's session class whose every query goes to a shared connection.

    Flask-SQLAlchemy's ``get_bind`` picks an engine from the app and ignores ``bind=``: the engine
    it picks is swapped for its connection (an engine the harness does not know, for the default
    one's). Listeners registered on the app's class apply to this subclass too (SQLAlchemy
    propagates class events).
    """

    def get_bind(self: Any, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any) -> Any:
        if bind is not None:
            return bind
        if len(connections) == 1:  # no binds: no need to ask the app
            return self.bind
        engine: Any = session_class.get_bind(self, mapper=mapper, clause=clause, **kwargs)
        return connections.get(engine, self.bind)

    return type(f"Pinned{session_class.__name__}", (session_class,), {"get_bind": get_bind})


class SharedConnection:
    """The outer transactions of one test (one per engine: the default's, each bind's), and the
    app's sessions joined to them."""

    def __init__(self, db: SQLAlchemy, engine: Engine, binds: Mapping[str, Engine] | None = None) -> None:
        from sqlalchemy import event

        self.db = db
        self.engine = engine
        self.engines: dict[str | None, Engine] = {None: engine}
        self.engines.update(binds or {})
        self.lock = threading.RLock()
        self.connections: dict[Engine, Connection] = {}
        self._outer: dict[Engine, RootTransaction] = {}
        factory = db.session.session_factory
        self._factory = factory
        self._original = (factory.class_, dict(factory.kw))
        self._pinned = _pinned_class(factory.class_, self.connections)
        self._locking = False
        self._held = threading.local()
        self.lost: BaseException | None = None  # the error the server ended a connection with, this test
        self.lost_database: str | None = None  # the database of that connection
        for each in self.engines.values():
            event.listen(each, "handle_error", self._note_disconnect)
        self._abandoned: weakref.WeakSet[threading.Thread] = weakref.WeakSet()

    @property
    def connection(self) -> Connection | None:
        """The default engine's connection (None before the first test and after ``close``)."""
        return self.connections.get(self.engine)

    def start(self) -> None:
        """Begin the outer transactions and point ``db.session``'s factory at them.

        The connections are opened once and kept for the worker's tests: a test costs a BEGIN and
        a ROLLBACK per engine, not a pool checkout and return.
        """
        for engine in self.engines.values():
            connection = self.connections.get(engine)
            if connection is not None and connection.invalidated:
                connection.close()  # the server ended it during the last test
            if connection is None or connection.closed:
                self.connections[engine] = engine.connect()
        self.lost = self.lost_database = None
        self._outer = {engine: connection.begin() for engine, connection in self.connections.items()}
        self._close_sessions(skip_in_use=True)
        self._factory.class_ = self._pinned  # type: ignore[assignment]
        self._factory.configure(bind=self.connection, join_transaction_mode="create_savepoint")

    def stop(self) -> None:
        """Close every session of the test, roll everything back, restore the session factory."""
        if not self._outer:
            return
        with self.lock:
            self._close_sessions()
            self._factory.class_, kw = self._original
            self._factory.kw.clear()
            self._factory.kw.update(kw)
            for outer in self._outer.values():
                if outer.is_active:
                    outer.rollback()
            self._outer = {}
            self.share_between_threads(False)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo the block's database changes after it, keeping what the test made before it.

        The test's sessions are committed first (into the test's transaction, so their savepoints
        are not inside this one) and rolled back after the block, before the SAVEPOINT is. Outside
        a rolled-back test (``live_commit``) the block's changes stay.
        """
        if not self._outer or not all(outer.is_active for outer in self._outer.values()):
            yield
            return
        for session in self._sessions():
            if session.in_transaction():
                session.commit()
        nested = [connection.begin_nested() for connection in self.connections.values()]
        try:
            yield
        finally:
            for session in self._sessions():
                session.rollback()
            for savepoint in nested:
                if savepoint.is_active:
                    savepoint.rollback()

    def _sessions(self) -> list[Session]:
        registry = self.db.session.registry
        return list(getattr(registry, "registry", {}).values())  # ScopedRegistry's dict of scope -> session

    def _close_sessions(self, skip_in_use: bool = False) -> None:
        from sqlalchemy import exc as sa_exc

        # At a test's start, a session in use right now by a request the harness gave up on (another
        # thread) cannot be closed under it; its statements are refused, its own teardown closes it.
        in_use = (sa_exc.IllegalStateChangeError,) if skip_in_use else ()
        for session in self._sessions():
            with suppress(*in_use):
                session.close()
        getattr(self.db.session.registry, "registry", {}).clear()

    def close(self) -> None:
        """Give the connection back at the end of the worker's session."""
        from sqlalchemy import event

        self.stop()
        for engine in self.engines.values():
            for name, listener in (("handle_error", self._note_disconnect),
                                   ("before_cursor_execute", self._refuse_abandoned)):
                if event.contains(engine, name, listener):
                    event.remove(engine, name, listener)
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()

    def _note_disconnect(self, context: ExceptionContext) -> None:
        # Any thread's statement (the test's, a live server request's) may be the first to meet it.
        engine = context.engine
        if context.is_disconnect and engine is not None and context.connection is not None \
                and self.connections.get(engine) is context.connection:
            self.lost = context.original_exception
            self.lost_database = engine.url.database

    def share_between_threads(self, enabled: bool = True) -> None:
        """Make every statement take ``lock``, so the test thread waits for in-flight requests.

        The live server holds the (re-entrant) lock for a whole request; the test thread takes it
        per statement, so it never runs SQL in the middle of someone else's savepoint.
        """
        from sqlalchemy import event

        if enabled == self._locking or not self.connections:
            return
        change = event.listen if enabled else event.remove
        for engine, connection in self.connections.items():
            change(connection, "before_cursor_execute", self._acquire)
            change(connection, "after_cursor_execute", self._release)
            change(engine, "handle_error", self._release_on_error)
        self._locking = enabled

    def _acquire(self, *_args: Any) -> None:
        self._refuse_abandoned()  # before taking the lock: a refused statement has nothing to release
        lock = self.lock  # the one released after the statement, even if abandon() replaces it meanwhile
        lock.acquire()
        if not hasattr(self._held, "locks"):
            self._held.locks = []
        self._held.locks.append(lock)

    def _release(self, *_args: Any) -> None:
        self._held.locks.pop().release()

    def _release_on_error(self, _context: Any) -> None:
        # A failed statement never reaches after_cursor_execute; release what it took, if anything.
        if getattr(self._held, "locks", None):
            self._release()

    def abandon(self, threads: Iterable[threading.Thread]) -> None:
        """Give up on requests still running after their test: the test thread need not wait for them.

        Each keeps the lock it holds and nobody waits for it again: the connection's other users
        take turns on a new one, so the rollback goes ahead. Any statement such a thread runs
        afterwards, on any connection of the app's engines, raises ``AbandonedRequest``: it can neither
        write into a later test's transaction nor commit for real between tests. A request
        stuck *inside* a statement (a lock wait, a long query) still holds the driver's
        connection: the rollback waits for that statement to return.
        """
        from sqlalchemy import event

        threads = list(threads)
        if not threads:
            return
        if not self._abandoned:
            for engine in self.engines.values():  # the default's and each bind's
                event.listen(engine, "before_cursor_execute", self._refuse_abandoned)
        self._abandoned.update(threads)
        self.lock = threading.RLock()

    def _refuse_abandoned(self, *_args: Any) -> None:
        if threading.current_thread() in self._abandoned:
            raise AbandonedRequest(
                "flask-harness gave up on this live-server request: it was still running after its test "
                "ended and the drain, and that test's database work is undone as usual; it may not use "
                "the database any more.")
