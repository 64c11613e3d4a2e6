"""A team moves the suite it already has onto the harness (issue 13, findings 1 to 3).

The example project ``apps/own_fixtures`` has FlaskBB's shape: ``create_app(config=None)`` taking
a class, an object or an import string and reading ``config.__name__``; an app that can be built
only once per process; and a suite with its own ``app``, ``database`` and ``client`` fixtures and a
package-scoped autouse fixture. Adopting the harness changes each of its fixtures by one line
(and the parameter it takes).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from example_apps import MYSQL_SERVER, POSTGRES_SERVER, copy_app, run, server_databases, unique_base, write_ini

# The one-line changes the harness README's "Moving an existing suite" asks for, as (old, new).
ADOPTION = [
    ("def app():", "def app(flask_harness_app):"),
    ("    app = create_app(TestConfig)", "    app = flask_harness_app"),
    ("def database(app):", "def database(flask_harness_db):"),
    ("    _db.create_all()\n    yield _db\n    _db.session.remove()\n    _db.drop_all()",
     "    yield flask_harness_db"),
]
SERVERS = [pytest.param("", id="sqlite"), pytest.param(POSTGRES_SERVER, id="postgresql"),
           pytest.param(MYSQL_SERVER, id="mariadb")]
WORKERS = [pytest.param((), id="serial"), pytest.param(("-n", "2"), id="n2")]


@pytest.fixture(autouse=True)
def no_database_from_the_developer(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP", "FORUM_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def adopt(project: Path) -> int:
    """Apply the README's changes to the suite's conftest; return how many lines changed."""
    conftest = project / "tests" / "conftest.py"
    before = conftest.read_text()
    after = before
    for old, new in ADOPTION:
        assert old in after, old
        after = after.replace(old, new)
    conftest.write_text(after)
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))


def test_the_suite_passes_on_its_own_fixtures_before_adoption(pytester: pytest.Pytester) -> None:
    copy_app(pytester, "own_fixtures")
    pytester.makepyprojecttoml("[tool.pytest.ini_options]\n")

    result = pytester.runpytest_subprocess("-p", "no:flask_harness", "-p", "no:randomly", "-p", "no:playwright")

    result.assert_outcomes(passed=5)


@pytest.mark.parametrize("workers", WORKERS)
@pytest.mark.parametrize("server", SERVERS)
def test_an_existing_suite_runs_on_the_harness_databases_after_one_line_per_fixture(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server: str, workers: tuple[str, ...],
) -> None:
    project = copy_app(pytester, "own_fixtures")
    write_ini(pytester, flask_app="forum:create_app('forum.config.TestConfig')", pythonpath=["."])
    records = pytester.mkdir("records")
    monkeypatch.setenv("RECORDS", str(records))
    base = unique_base()
    options = ("--db-url", f"{server}/{base}") if server else ()

    changed = adopt(project)
    result = run(pytester, *workers, *options)

    assert changed == 4
    result.assert_outcomes(passed=5)
    urls = [path.read_text() for path in records.iterdir()]
    assert urls
    assert all("test_" in url and "forum.sqlite" not in url for url in urls), urls
    assert not list(project.glob("*.sqlite"))
    if server:
        assert server_databases(server, f"test_{base}") == []


APP_FROM_THE_ENVIRONMENT = """
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Topic(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("FORUM_DATABASE_URL", "sqlite:///forum.sqlite")
    db.init_app(app)
    return app
"""
SUITE_FROM_THE_ENVIRONMENT = """
import pytest
from sqlalchemy import inspect

from envforum import create_app, db as _db


@pytest.fixture(scope="session")
def suite_app():
    app = create_app()
    with app.app_context():
        yield app


def test_the_workers_database_is_there_before_the_first_test(suite_app):
    assert _db.engine.url.database and "test_" in _db.engine.url.database
    assert inspect(_db.engine).has_table("topic") is {has_schema}
"""


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("flask_app", [pytest.param(True, id="schema-from-the-app"),
                                       pytest.param(False, id="no-flask_app-an-empty-database")])
def test_flask_harness_app_db_env_names_a_database_that_exists_before_the_first_test(
    pytester: pytest.Pytester, server: str, flask_app: bool,
) -> None:
    ini = {"flask_harness_app_db_env": "FORUM_DATABASE_URL", "pythonpath": ["."]}
    if flask_app:
        ini["flask_app"] = "envforum:create_app"
    write_ini(pytester, **ini)
    pytester.makepyfile(envforum=APP_FROM_THE_ENVIRONMENT,
                        test_env=SUITE_FROM_THE_ENVIRONMENT.format(has_schema=flask_app))
    base = unique_base()

    result = run(pytester, "test_env.py", *(("--db-url", f"{server}/{base}") if server else ()))

    result.assert_outcomes(passed=1)
    if server:
        assert server_databases(server, f"test_{base}") == []


NAME_READING_FACTORY = '''
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app(config=None):
    app = Flask(__name__)
    if isinstance(config, str):
        app.config.from_object("settings." + config)
    else:
        app.config.from_object(config)
    app.logger.info("configured from %s", config.__name__)
    db.init_app(app)
    {extra}
    return app
'''
THREE_TESTS = "".join(f"def test_{n}(app):\n    assert app.testing\n\n\n" for n in range(3))


def test_a_factory_that_reads_config_name_is_built_from_the_flask_app_setting(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(forum=NAME_READING_FACTORY.format(extra=""), test_three=THREE_TESTS)
    write_ini(pytester, flask_app="forum:create_app", pythonpath=["."])

    result = run(pytester)

    result.assert_outcomes(passed=3)


def test_a_failed_build_is_shown_once_with_the_shape_tried_and_how_to_choose_another(
    pytester: pytest.Pytester,
) -> None:
    extra = 'app.logger.setLevel(config.LOG_LEVEL)'
    pytester.makepyfile(forum=NAME_READING_FACTORY.format(extra=extra), test_three=THREE_TESTS)
    write_ini(pytester, flask_app="forum:create_app", pythonpath=["."])

    result = run(pytester)

    result.assert_outcomes(errors=3)
    output = result.stdout.str()
    first, *others = output.split("ERROR at setup of ")[1:]
    assert "AttributeError: LOG_LEVEL" in first
    assert len(others) == 2
    assert not [other for other in others if "LOG_LEVEL" in other.partition("short test summary")[0]]
    result.stdout.fnmatch_lines([
        "*flask_app = \"forum:create_app\" called create_app(config=<the test settings*) and it raised "
        "AttributeError: LOG_LEVEL*",
        "*flask_app = \"forum:create_app('testing')\"*",
        "*flask_app_factory*",
    ])
    # The short summary repeats the message when the terminal is wide enough; count the error sections only.
    errors_section = output.partition("short test summary")[0]
    assert errors_section.count("the app could not be built (see the first error, in test_three.py::test_0)") == 2


def test_the_header_names_no_flask_app_factory_fixture_that_does_not_exist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    write_ini(pytester)

    result = run(pytester, "--co")

    assert "flask_app_factory fixture" not in result.stdout.str()
    result.stdout.fnmatch_lines(["flask-harness: no app set (flask_app);*"])


def test_the_header_names_the_flask_app_factory_fixture_that_exists(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("import pytest\n\n\n@pytest.fixture(scope='session')\ndef flask_app_factory():\n"
                          "    raise NotImplementedError\n")
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    write_ini(pytester)

    result = run(pytester, "--co")

    result.stdout.fnmatch_lines(["flask-harness: app from the flask_app_factory fixture in *conftest.py;*"])
