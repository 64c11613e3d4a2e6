"""Schema from Flask-Migrate's, Flask-Alembic's and Alembic's migrations, reference data in the template.

The app's logger still works after alembic's ``fileConfig``; migrations are found from a
subfolder and when Flask-Migrate is registered outside the factory; Flask-Alembic's in the app's
package, plain Alembic's from an ``alembic.ini`` (never its developer URL); a missing tool is named
with its install (issues 6, 10 and 13); the header names the tool and the server;
``pytest_flask_harness_template`` runs once per run and every test starts with its rows.
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
    result.stdout.fnmatch_lines([f"flask-harness: app journal:create_app; *; schema from Flask-Migrate "
                                 f"migrations in {project / 'migrations'}"])


NOTES_TESTS = """
from sqlalchemy import text


def test_the_schema_came_from_the_migrations(db, client):
    assert client.post("/notes", data={"body": "hello"}).status_code == 201
    assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    assert db.session.execute(text("SELECT made_by_migration FROM note")).scalar() == "yes"
"""

SERVERS = [pytest.param(None, id="sqlite"), pytest.param(POSTGRES_SERVER, id="postgresql")]


@pytest.mark.parametrize("server", SERVERS)
def test_flask_alembic_builds_the_schema_from_the_migrations_in_the_package(
    pytester: pytest.Pytester, server: str | None,
) -> None:
    base = unique_base()
    project = copy_app(pytester, "alembic_package")
    write_ini(pytester, flask_app="notes:create_app")
    pytester.makepyfile(test_notes=NOTES_TESTS)

    result = run(pytester, *(("--db-url", f"{server}/{base}") if server else ()))

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"flask-harness: app notes:create_app; *; schema from Flask-Alembic "
                                 f"migrations in {project / 'notes' / 'migrations'}"])
    assert list(project.rglob("notes.sqlite")) == []  # the app's own database, never used
    if server:
        assert server_databases(server, f"test_{base}") == []


@pytest.mark.parametrize("server", SERVERS)
def test_plain_alembic_builds_the_schema_from_alembic_ini_on_the_test_database(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str | None,
) -> None:
    base = unique_base()
    project = copy_app(pytester, "alembic_ini")
    write_ini(pytester, flask_app="ledger:create_app", pythonpath=["."])
    tests = pytester.mkdir("tests")
    (tests / "test_ledger.py").write_text(NOTES_TESTS.replace("notes", "lines").replace("FROM note", "FROM line"))
    monkeypatch.chdir(tests)  # script_location = alembic is the ini's folder, not the working directory

    result = run(pytester, *(("--db-url", f"{server}/{base}") if server else ()))

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"flask-harness: app ledger:create_app; *; schema from Alembic migrations "
                                 f"in {project / 'alembic'} ({project / 'alembic.ini'})"])
    assert list(project.rglob("ledger.sqlite")) == []  # the ini's sqlalchemy.url, never used
    if server:
        assert server_databases(server, f"test_{base}") == []


def test_migrations_whose_tool_is_not_installed_are_an_error_naming_it_and_its_install(
    pytester: pytest.Pytester,
) -> None:
    copy_app(pytester, "roles")
    write_ini(pytester, flask_app="staff:create_app", flask_harness_migrations="migrations")
    pytester.makeconftest("import sys\n\nsys.modules['flask_migrate'] = None  # not installed\n")
    pytester.makepyfile(test_roles="def test_roles(db):\n    pass\n")

    result = run(pytester)

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*Flask-Migrate is needed to build the schema from Flask-Migrate migrations "
                                 f"in {pytester.path / 'migrations'}: pip install Flask-Migrate*"])
    result.stdout.no_fnmatch_line("*ModuleNotFoundError*")


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


@pytest.mark.parametrize("server", SERVERS)
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
    where = ("postgresql+psycopg2://postgres@127.0.0.1:5432 (from --db-url)" if server
             else "SQLite files (sqlite+pysqlite) in */flask-harness-* (from default)")
    result.stdout.fnmatch_lines([f"flask-harness: app staff:create_app; test databases on {where}; "
                                 f"schema from Flask-Migrate migrations in {project / 'migrations'}"])
    if server:
        assert server_databases(server, f"test_{base}") == []


def test_a_template_hook_in_one_folders_conftest_is_run_wide_and_its_failure_says_so(
    pytester: pytest.Pytester,
) -> None:
    # Issue 13, finding 7: a hook in tests_harness/conftest.py seeds the database of tests/ too,
    # whose tests expect empty tables ("UNIQUE constraint failed" with no hint).
    pytester.makepyfile(shop="""
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://")
    app.config.update(test_config or {})
    db.init_app(app)
    return app
""")
    seeded = pytester.mkdir("tests_harness")
    seeded.joinpath("conftest.py").write_text(
        "def pytest_flask_harness_template(app, db):\n"
        "    from shop import Role\n\n"
        "    db.session.add(Role(name='admin'))\n")
    seeded.joinpath("test_seeded.py").write_text(
        "from shop import Role\n\n\ndef test_admin_is_there(db):\n"
        "    assert db.session.query(Role).count() == 1\n")
    empty = pytester.mkdir("tests")
    empty.joinpath("test_roles.py").write_text(
        "from shop import Role\n\n\ndef test_adds_admin(db):\n"
        "    db.session.add(Role(name='admin'))\n    db.session.commit()\n\n\n"
        "def test_plain_failure_has_no_note(db):\n    assert False\n")
    write_ini(pytester, flask_app="shop:create_app", pythonpath=["."])

    result = run(pytester)

    result.assert_outcomes(passed=1, failed=2)
    output = result.stdout.str()
    assert "IntegrityError" in output
    note = "Every test of the run starts with the rows pytest_flask_harness_template adds"
    assert output.count(note) == 1
    result.stdout.fnmatch_lines([f"*{note}*tests_harness/conftest.py*run-wide*"])


def test_create_all_is_chosen_even_where_a_migrations_folder_exists(pytester: pytest.Pytester) -> None:
    # Found adopting OpenOversight: its migrations cannot build a fresh database (its env.py builds
    # an app of its own), and no setting gave the suite back the create_all it had.
    copy_app(pytester, "migrate_stock")
    write_ini(pytester, flask_app="journal:create_app", pythonpath=["."], flask_harness_migrations="create_all")
    pytester.makepyfile(test_journal="""
from sqlalchemy import inspect


def test_the_schema_came_from_the_models(db, client):
    assert client.post("/entries", data={"body": "hello"}).status_code == 201
    assert "alembic_version" not in inspect(db.session.connection()).get_table_names()
""")

    result = run(pytester)

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["flask-harness: app journal:create_app; *; "
                                 "schema from create_all (flask_harness_migrations = create_all)"])
