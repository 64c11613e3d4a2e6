"""Schema from Flask-Migrate's stock setup, and reference data in the template (issues 6 and 10).

The app's logger still works after alembic's ``fileConfig``; migrations are found from a
subfolder and when Flask-Migrate is registered outside the factory; the header says so and names
the server; ``pytest_flask_harness_template`` runs once per run and every test starts with its rows.
"""

from __future__ import annotations

import pytest

from example_apps import POSTGRES_SERVER, copy_app, records, run, server_databases, unique_base, write_ini

JOURNAL_TESTS = """
import logging

from sqlalchemy import text


def test_the_apps_log_lines_still_reach_a_handler(client, caplog):
    assert client.post("/entries", data={"body": "hello"}).status_code == 201
    assert not logging.getLogger("journal").disabled
    assert "journal entry written: hello" in caplog.text


def test_the_schema_came_from_the_migrations(db):
    assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
"""


def test_stock_flask_migrate_builds_the_schema_from_a_subfolder_and_leaves_the_apps_logger_working(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = copy_app(pytester, "migrate_stock")
    write_ini(pytester, flask_app="journal:create_app", pythonpath=["."])
    tests = pytester.mkdir("tests")
    (tests / "test_journal.py").write_text(JOURNAL_TESTS)
    monkeypatch.chdir(tests)

    result = run(pytester)

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"flask-harness: app journal:create_app; *; schema from migrations in "
                                 f"{project / 'migrations'}"])


ROLES_CONFTEST = """
import os
from pathlib import Path

from staff import Role


def pytest_flask_harness_template(app, db):
    with (Path(os.environ["RECORDS"]) / "template-builds.txt").open("a") as builds:
        builds.write("built\\n")
    db.session.add_all([Role(name="admin"), Role(name="reader")])
"""

ROLES_TESTS = """
from staff import Role


def test_1_every_test_starts_with_the_roles(client):
    assert client.get("/roles").get_json() == ["admin", "reader"]


def test_2_a_test_may_delete_them(db, client):
    db.session.execute(db.delete(Role))
    db.session.commit()
    assert client.get("/roles").get_json() == []


def test_3_the_next_test_has_them_again(client):
    assert client.get("/roles").get_json() == ["admin", "reader"]
"""


@pytest.mark.parametrize("server", [pytest.param(None, id="sqlite"), pytest.param(POSTGRES_SERVER, id="postgresql")])
def test_reference_data_is_built_once_and_every_worker_starts_every_test_with_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str | None,
) -> None:
    base = unique_base()
    project = copy_app(pytester, "roles")
    write_ini(pytester, flask_app="staff:create_app")
    pytester.makeconftest(ROLES_CONFTEST)
    pytester.makepyfile(test_roles=ROLES_TESTS)
    folder = records(pytester, monkeypatch)
    server_args = ("--db-url", f"{server}/{base}") if server else ()

    result = run(pytester, "-n", "2", "--dist", "each", *server_args)

    result.assert_outcomes(passed=6)
    assert (folder / "template-builds.txt").read_text() == "built\n"
    where = ("postgresql+psycopg*://postgres@127.0.0.1:5432 (from --db-url)" if server
             else "SQLite files (sqlite+pysqlite) in */flask-harness-* (from default)")
    result.stdout.fnmatch_lines([f"flask-harness: app staff:create_app; test databases on {where}; "
                                 f"schema from migrations in {project / 'migrations'}"])
    if server:
        assert server_databases(server, f"test_{base}") == []
