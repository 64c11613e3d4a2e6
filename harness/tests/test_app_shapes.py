"""Every common factory shape runs green on the worker's test database; a wrong adapter never does.

Findings proved here (issue 6 and issue 10): factory shapes, ``conftest:make_app`` beside another
conftest.py, the factory built with ``TESTING`` (no ``logs/`` folder), config-name factories adopted
by configuration alone, and no green run on the wrong database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from example_apps import ITEM_TESTS, copy_app, read_records, records, run, write_ini

FIXTURE_FACTORY = """
import pytest

from tutorial import create_app


@pytest.fixture(scope="session")
def flask_app_factory():
    return lambda overrides: create_app(overrides)
"""

SHAPES = [
    pytest.param("mapping_factory", {"flask_app": "tutorial:create_app"}, id="mapping"),
    pytest.param("config_class", {"flask_app": "blog:create_app"}, id="config-class"),
    pytest.param("no_argument", {"flask_app": "envapp:create_app",
                                 "flask_harness_app_db_env": "FLASK_SQLALCHEMY_DATABASE_URI"}, id="no-argument"),
    pytest.param("module_app", {"flask_app": "single:app"}, id="module-app"),
    pytest.param("config_name", {"flask_app": "named:create_app('testing')",
                                 "flask_harness_app_db_env": "TEST_DATABASE_URL"}, id="config-name"),
    pytest.param("mapping_factory", {}, id="flask_app_factory-fixture"),
]
WORKERS = [pytest.param((), id="serial"), pytest.param(("-n", "2", "--dist", "each"), id="n2")]


@pytest.mark.parametrize("workers", WORKERS)
@pytest.mark.parametrize(("shape", "ini"), SHAPES)
def test_each_factory_shape_is_green_on_the_test_database_with_rollback_between_tests(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, shape: str, ini: dict[str, Any],
    workers: tuple[str, ...],
) -> None:
    project = copy_app(pytester, shape)
    write_ini(pytester, **ini)
    if not ini:
        pytester.makeconftest(FIXTURE_FACTORY)
    pytester.makepyfile(test_items=ITEM_TESTS)
    folder = records(pytester, monkeypatch)

    result = run(pytester, *workers)

    result.assert_outcomes(passed=4 if workers else 2)
    seen = read_records(folder)
    assert sorted(seen) == (["gw0", "gw1"] if workers else ["main"])
    for worker, record in seen.items():
        assert Path(record["url"].removeprefix("sqlite:///")).name == f"test_{worker}.sqlite"
        assert record["testing"] is True
    # The factory ran in its testing branch only, and the app's own databases were never made.
    assert not (project / "logs").exists()
    assert not [path.name for path in project.rglob("*.sqlite")]


CONFTEST_IMPORTING_THE_APP = """
import pytest

from named import Item, db


@pytest.fixture
def items(db):
    return db.session.scalars(db.select(Item)).all()
"""


@pytest.mark.parametrize("workers", WORKERS)
def test_a_config_name_factory_is_adopted_by_configuration_alone_even_when_conftest_imports_the_app(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: tuple[str, ...],
) -> None:
    copy_app(pytester, "config_name")
    write_ini(pytester, flask_app="named:create_app('testing')", flask_harness_app_db_env="TEST_DATABASE_URL",
              pythonpath=["."])
    pytester.makeconftest(CONFTEST_IMPORTING_THE_APP)
    pytester.makepyfile(test_items=ITEM_TESTS + "\n\ndef test_3_the_conftest_fixture_sees_none(items):\n"
                                                "    assert items == []\n")
    folder = records(pytester, monkeypatch)

    result = run(pytester, *workers)

    result.assert_outcomes(passed=6 if workers else 3)
    assert sorted(read_records(folder)) == (["gw0", "gw1"] if workers else ["main"])


def test_a_factory_that_ignores_the_config_fails_naming_the_shapes(pytester: pytest.Pytester) -> None:
    project = copy_app(pytester, "wrong_database")
    write_ini(pytester)
    pytester.makepyfile(test_items="def test_lists_items(client):\n"
                                   "    assert client.get('/items').status_code == 200\n")

    result = run(pytester)

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([
        "*The app's database is not the test database sqlite:///*test_main.sqlite: "
        "default → sqlite:///*legacy-test.sqlite*",
        "*The harness supports these shapes*",
        "*flask_app = \"package:create_app('testing')\"*",
        "*a session fixture flask_app_factory in conftest.py*",
    ])
    assert not list(project.rglob("legacy-test.sqlite"))


def test_a_config_name_factory_named_without_its_argument_says_how_to_name_it(pytester: pytest.Pytester) -> None:
    copy_app(pytester, "config_name")
    write_ini(pytester, flask_app="named:create_app")
    pytester.makepyfile(test_items=ITEM_TESTS)

    result = run(pytester)

    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines([
        "*named:create_app takes a config name (config_name): name the testing one, for example "
        "flask_app = \"named:create_app('testing')\".*"])


MAKE_APP_CONFTEST = """
from tutorial import create_app


def make_app(test_config=None):
    return create_app(test_config)
"""


@pytest.mark.parametrize("import_mode", ["prepend", "importlib"])
def test_conftest_make_app_is_found_beside_a_conftest_in_a_subfolder(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, import_mode: str,
) -> None:
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="conftest:make_app", pythonpath=["."])
    monkeypatch.setenv("PYTEST_ADDOPTS", f"--import-mode={import_mode}")
    pytester.makeconftest(MAKE_APP_CONFTEST)
    pytester.mkdir("api")  # no __init__.py: its conftest is also named "conftest"
    (pytester.path / "api" / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef token():\n"
                                                       "    return 'secret'\n")
    (pytester.path / "api" / "test_items.py").write_text(ITEM_TESTS)
    records(pytester, monkeypatch)

    result = run(pytester)

    result.assert_outcomes(passed=2)


def test_the_header_names_the_app_the_server_and_where_its_url_came_from(pytester: pytest.Pytester) -> None:
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app")

    result = run(pytester, "--co")

    result.stdout.fnmatch_lines(["flask-harness: app tutorial:create_app; test databases on SQLite files "
                                 "(sqlite+pysqlite) in */flask-harness-* (from default); schema from create_all*"])
