"""The shared connection's lock: with a live server, a statement waits for the request in flight,
and a request given up on neither holds up the rollback nor reaches the database again."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from flask_harness.db.isolation import AbandonedRequest, SharedConnection, enable_sqlite_savepoints


def test_a_statement_of_another_thread_waits_for_the_lock_and_a_failed_one_releases_it(tmp_path: Path) -> None:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test_main.sqlite'}",
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"check_same_thread": False}})
    db = SQLAlchemy(app)
    with app.app_context():
        enable_sqlite_savepoints(db.engine)
        shared = SharedConnection(db, db.engine)
        shared.start()
        shared.share_between_threads()
        shared.share_between_threads()  # already on: nothing changes
    ran = threading.Event()

    def request_in_another_thread() -> None:
        with app.app_context():
            db.session.execute(text("SELECT 1"))
            ran.set()

    other = threading.Thread(target=request_in_another_thread)
    with shared.lock:  # the live server is inside a request
        other.start()
        waited = not ran.wait(0.2)
    finished = ran.wait(5)
    other.join(5)
    with app.app_context(), pytest.raises(OperationalError):
        db.session.execute(text("SELECT no_such_column FROM no_such_table"))
    acquired: list[bool] = []

    def take_the_lock() -> None:
        acquired.append(shared.lock.acquire(timeout=2))
        if acquired[-1]:
            shared.lock.release()

    free = threading.Thread(target=take_the_lock)
    free.start()
    free.join(5)
    shared.close()
    shared.close()  # twice: nothing left to do

    assert waited
    assert finished
    assert acquired == [True]  # the failed statement gave the lock back
    assert shared.connection is None
    with app.app_context():
        db.engine.dispose()


def test_an_abandoned_request_keeps_its_lock_and_its_later_statements_fail(tmp_path: Path) -> None:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test_main.sqlite'}",
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"check_same_thread": False}})
    db = SQLAlchemy(app)
    with app.app_context():
        enable_sqlite_savepoints(db.engine)
        shared = SharedConnection(db, db.engine)
        shared.start()
        shared.share_between_threads()
    holding, release = threading.Event(), threading.Event()
    refused: list[BaseException] = []

    def stuck_request() -> None:
        with app.app_context(), shared.lock:  # as the live server holds it for a whole request
            db.session.execute(text("SELECT 1"))
            holding.set()
            release.wait(5)
            try:
                db.session.execute(text("SELECT 1"))
            except AbandonedRequest as exc:
                refused.append(exc)

    stuck = threading.Thread(target=stuck_request)
    stuck.start()
    holding.wait(5)
    shared.abandon([stuck])
    shared.stop()  # the rollback: it would wait for ever on the lock the request holds
    shared.start()
    with app.app_context():
        still_works = db.session.execute(text("SELECT 2")).scalar()
    release.set()
    stuck.join(5)
    shared.close()
    with app.app_context():
        db.engine.dispose()

    assert still_works == 2
    assert len(refused) == 1
    assert "gave up on this live-server request" in str(refused[0])
