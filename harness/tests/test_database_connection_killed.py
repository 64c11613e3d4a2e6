"""The database goes away (issue 14, item 5): a worker's connection killed by the server costs one test.

The project's tests really kill the harness's connection, from an admin connection of their own
(PostgreSQL's ``pg_terminate_backend``, MariaDB's ``KILL``). The test in flight fails saying that the
server closed the connection to its test database; later tests get a new connection and are still
rolled back. SQLite has no server connection to kill, so it is not part of this file.
"""

from __future__ import annotations

import pytest

from apps_live import report_of, section_of
from example_apps import MYSQL_SERVER, POSTGRES_SERVER, QUIET, unique_base

NOTES_APP = """
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(80))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://")
    app.config.update(test_config or {})
    db.init_app(app)

    @app.get("/")
    def home():
        return str(db.session.query(Note).count())

    return app
"""

KILLED = """
import urllib.request

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from notes import Note


def kill_the_harness_connection(db):
    # The server-side id of the connection the test runs on, killed from another connection.
    postgres = db.engine.dialect.name == "postgresql"
    own = db.session.scalar(text("SELECT pg_backend_pid()" if postgres else "SELECT CONNECTION_ID()"))
    admin = create_engine(db.engine.url.set(database="postgres" if postgres else None),
                          poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if postgres:  # waits (at most 5 s) until the backend is gone
            assert connection.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": own})
        else:
            connection.exec_driver_sql(f"KILL {int(own)}")
    admin.dispose()


def notes(db):
    return db.session.scalar(select(func.count()).select_from(Note))


def test_1_before(db):
    db.session.add(Note(text="first"))
    db.session.commit()
    assert notes(db) == 1


def test_2_killed_then_the_session_queries(db):
    kill_the_harness_connection(db)
    notes(db)


def test_3_after_writes_a_row(db):
    db.session.add(Note(text="third"))
    db.session.commit()
    assert notes(db) == 1


def test_4_killed_then_the_client_asks(db, client):
    kill_the_harness_connection(db)
    client.get("/")


def test_5_after_sees_no_row_of_test_3(db, client):
    assert notes(db) == 0
    db.session.add(Note(text="fifth"))
    db.session.commit()
    assert client.get("/").text == "1"


def test_6_killed_then_the_live_server_asks(db, live):
    kill_the_harness_connection(db)
    urllib.request.urlopen(live.url + "/")


def test_7_after_the_live_server_sees_no_row_of_test_5(db, live):
    with urllib.request.urlopen(live.url + "/") as response:
        assert response.read() == b"0"


def test_8_killed_as_its_last_act(db):  # the rollback after it meets the closed connection
    kill_the_harness_connection(db)


def test_9_after(db):
    assert notes(db) == 0
"""

KILLED_TESTS = ("test_2_killed_then_the_session_queries", "test_4_killed_then_the_client_asks",
                "test_6_killed_then_the_live_server_asks", "test_8_killed_as_its_last_act")


@pytest.mark.parametrize("workers", [pytest.param((), id="serial"), pytest.param(("-n", "2"), id="xdist")])
@pytest.mark.parametrize("server", [pytest.param(POSTGRES_SERVER, id="postgresql"),
                                    pytest.param(MYSQL_SERVER, id="mariadb")])
def test_a_killed_connection_fails_the_test_in_flight_and_later_tests_reconnect(
        pytester: pytest.Pytester, server: str, workers: tuple[str, ...]) -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "notes:create_app"\n'
                               'addopts = ["--strict-markers"]\nfilterwarnings = ["error"]\n')
    pytester.makepyfile(notes=NOTES_APP, test_killed=KILLED)
    base = unique_base()

    result = pytester.runpytest_subprocess(*QUIET, "--db-url", f"{server}/{base}", *workers, timeout=120)

    # Test 8's own code passed; its teardown is the error.
    result.assert_outcomes(passed=6, failed=3, errors=1)
    for name in KILLED_TESTS:
        said = section_of(report_of(result, name), "flask-harness database")
        assert f"test_{base}_" in said
        assert "closed by the server" in said
        assert "later tests get a new connection" in said
