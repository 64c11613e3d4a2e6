"""Settings resolution (command line → environment → ini → default) and the header line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from example_apps import ITEM_TESTS, POSTGRES_SERVER, copy_app, run, unique_base, write_ini
from flask_harness import plugin
from flask_harness.config import settings


def fake_config(options: dict[str, Any] | None = None, ini: dict[str, Any] | None = None,
                workerinput: dict[str, Any] | None = None, rootpath: Path = Path("/project")) -> Any:
    """Just enough of pytest.Config for settings.load: getoption, getini, rootpath, workerinput."""
    values = {"--flask-app": None, "--db-url": None, "--keep-db": False, "--drop-kept": False, "--sweep-budget": None,
              "--sweep-seed": None, **(options or {})}
    ini_values = {"flask_harness_temp_folders": [], **(ini or {})}
    config = SimpleNamespace(getoption=lambda name, default=None: values[name],  # a typo is a KeyError
                             getini=lambda name: ini_values.get(name, ""), rootpath=rootpath, stash=pytest.Stash())
    if workerinput is not None:
        config.workerinput = workerinput
    return config


def test_by_default_the_test_databases_are_sqlite_files_and_nothing_else_is_set() -> None:
    loaded = settings.load(fake_config())

    assert (loaded.flask_app, loaded.db_url, loaded.db_url_source, loaded.app_db_env, loaded.migrations,
            loaded.temp_folders, loaded.keep_db, loaded.worker) == (
        None, "sqlite://", "default", None, None, (), False, "main")
    assert loaded.run_folder.name == f"flask-harness-{loaded.run_id}"


def test_ini_settings_are_read_and_the_migrations_folder_is_relative_to_the_rootdir() -> None:
    ini = {"flask_app": "shop:create_app", "flask_harness_db_url": "postgresql://u@h/shop",
           "flask_harness_app_db_env": "TEST_DATABASE_URL", "flask_harness_migrations": "db/migrations",
           "flask_harness_temp_folders": ["UPLOAD_FOLDER"]}

    loaded = settings.load(fake_config(ini=ini))

    assert (loaded.flask_app, loaded.db_url, loaded.db_url_source, loaded.app_db_env, loaded.migrations,
            loaded.temp_folders) == ("shop:create_app", "postgresql://u@h/shop", "ini flask_harness_db_url",
                                     "TEST_DATABASE_URL", Path("/project/db/migrations"), ("UPLOAD_FOLDER",))


def test_the_environment_beats_the_ini(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_HARNESS_APP", "env_app:make")
    monkeypatch.setenv("FLASK_HARNESS_DB_URL", "postgresql://env@h/shop")

    loaded = settings.load(fake_config(ini={"flask_app": "shop:create_app", "flask_harness_db_url": "sqlite://"}))

    assert (loaded.flask_app, loaded.db_url, loaded.db_url_source) == (
        "env_app:make", "postgresql://env@h/shop", "FLASK_HARNESS_DB_URL")


def test_the_command_line_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_HARNESS_APP", "env_app:make")
    monkeypatch.setenv("FLASK_HARNESS_DB_URL", "postgresql://env@h/shop")
    options = {"--flask-app": "cli_app:make", "--db-url": "mysql://cli@h/shop", "--keep-db": True}

    loaded = settings.load(fake_config(options))

    assert (loaded.flask_app, loaded.db_url, loaded.db_url_source, loaded.keep_db) == (
        "cli_app:make", "mysql://cli@h/shop", "--db-url", True)


def test_database_url_in_the_environment_is_not_used_unless_the_ini_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://prod@h/shop")

    ignored = settings.load(fake_config())
    named = settings.load(fake_config(ini={"flask_harness_db_url_env": "DATABASE_URL",
                                           "flask_harness_db_url": "sqlite://"}))

    assert (ignored.db_url, ignored.db_url_source) == ("sqlite://", "default")
    assert (named.db_url, named.db_url_source) == ("postgresql://prod@h/shop", "$DATABASE_URL")


def test_a_worker_has_its_xdist_id_and_the_controllers_run_id() -> None:
    config = fake_config(workerinput={"workerid": "gw3", settings.RUN_ID_KEY: "cafe1234"})

    loaded = settings.load(config)

    assert (loaded.worker, loaded.run_id) == ("gw3", "cafe1234")


def test_every_xdist_worker_gets_the_controllers_run_id() -> None:
    controller = SimpleNamespace(stash={settings.SETTINGS_KEY: settings.load(fake_config())})
    nodes = [SimpleNamespace(config=controller, workerinput={}) for _ in range(2)]

    for node in nodes:
        plugin.pytest_configure_node(node)

    assert [node.workerinput[settings.RUN_ID_KEY] for node in nodes] == [
        controller.stash[settings.SETTINGS_KEY].run_id] * 2


@pytest.mark.parametrize(("ini", "environment", "expected"), [
    pytest.param({}, {"DATABASE_URL": "postgresql://prod@127.0.0.1:5432/shop"},
                 "test databases on SQLite files (sqlite+pysqlite) in */flask-harness-* (from default)",
                 id="DATABASE_URL-ignored"),
    pytest.param({"flask_harness_db_url_env": "DATABASE_URL"},
                 {"DATABASE_URL": "postgresql://prod@127.0.0.1:5432/shop"},
                 "test databases on postgresql+psycopg2://prod@127.0.0.1:5432 (from $DATABASE_URL)",
                 id="DATABASE_URL-named"),
    pytest.param({}, {"FLASK_HARNESS_DB_URL": "mysql://root@127.0.0.1:3306/shop"},
                 "test databases on mysql+pymysql://root@127.0.0.1:3306 (from FLASK_HARNESS_DB_URL)",
                 id="FLASK_HARNESS_DB_URL"),
    # The driver too (issue 13, finding 5): apps break differently on psycopg 2 and 3.
    pytest.param({}, {"FLASK_HARNESS_DB_URL": "postgresql+psycopg://root@127.0.0.1:5432/shop"},
                 "test databases on postgresql+psycopg://root@127.0.0.1:5432 (from FLASK_HARNESS_DB_URL)",
                 id="psycopg-3"),
    pytest.param({}, {"FLASK_HARNESS_DB_URL": "postgresql+psycopg2://root@127.0.0.1:5432/shop"},
                 "test databases on postgresql+psycopg2://root@127.0.0.1:5432 (from FLASK_HARNESS_DB_URL)",
                 id="psycopg-2"),
    pytest.param({}, {"FLASK_HARNESS_DB_URL": "mysql+pymysql://root@127.0.0.1:3306/shop"},
                 "test databases on mysql+pymysql://root@127.0.0.1:3306 (from FLASK_HARNESS_DB_URL)",
                 id="pymysql"),
])
def test_the_header_says_which_server_and_where_its_url_came_from(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ini: dict[str, str], environment: dict[str, str],
    expected: str,
) -> None:
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app", **ini)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    result = run(pytester, "--co")

    result.stdout.fnmatch_lines([f"flask-harness: app tutorial:create_app; {expected}; schema from create_all*"])


@pytest.mark.parametrize("driver", ["psycopg2", "psycopg"])
def test_the_summary_says_which_database_and_driver_the_tests_ran_against(pytester: pytest.Pytester,
                                                                          driver: str) -> None:
    copy_app(pytester, "mapping_factory")
    pytester.makepyfile(test_items=ITEM_TESTS.replace('os.environ["RECORDS"]', "'.'"))
    write_ini(pytester, flask_app="tutorial:create_app")
    server = POSTGRES_SERVER.replace("postgresql://", f"postgresql+{driver}://")

    result = run(pytester, "--db-url", f"{server}/{unique_base()}")

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"flask-harness: ran against database postgresql+{driver}://*/test_*_main"])


def test_the_plugin_registers_its_markers_and_options(pytester: pytest.Pytester) -> None:
    write_ini(pytester)

    markers = run(pytester, "--markers")
    options = run(pytester, "--help")

    markers.stdout.fnmatch_lines(["@pytest.mark.live_commit: *", "@pytest.mark.expect_server_error: *"])
    options.stdout.fnmatch_lines(["Flask test harness:", "*--flask-app=FLASK_APP*", "*--db-url=DB_URL*",
                                  "*--keep-db*"])


MISSING_APP_TESTS = """
def test_needs_the_app(db):
    pass


def test_needs_nothing():
    pass
"""


def test_a_missing_flask_app_setting_is_a_usage_error_saying_how_to_set_it_and_other_tests_run(
    pytester: pytest.Pytester,
) -> None:
    write_ini(pytester)
    pytester.makepyfile(test_missing=MISSING_APP_TESTS)

    result = run(pytester, "--db-url", "postgresql://postgres@127.0.0.1:1/shop")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(['*The Flask harness needs your app: add flask_app = "package:create_app"*'])


def test_an_unreachable_server_is_one_clear_error_and_a_run_without_database_tests_never_contacts_it(
    pytester: pytest.Pytester,
) -> None:
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app")
    pytester.makepyfile(test_missing=MISSING_APP_TESTS)

    result = run(pytester, "--db-url", "postgresql://postgres@127.0.0.1:1/shop")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*Cannot reach the test database server postgresql+psycopg2://postgres@127.0.0.1:1/shop*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_before_pytest_configure_a_worker_reads_its_id_and_run_id_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv(settings.RUN_ID_ENV, "beef5678")
    config = fake_config()
    config.known_args_namespace = SimpleNamespace(db_url="postgresql://early@h/shop", flask_app=None, keep_db=True)

    loaded = settings.load(config)

    assert (loaded.worker, loaded.run_id, loaded.db_url, loaded.keep_db) == (
        "gw1", "beef5678", "postgresql://early@h/shop", True)


def test_a_process_keeps_one_run_id_whether_settings_are_read_early_or_late() -> None:
    config = fake_config()

    assert settings.load(config).run_id == settings.load(config).run_id
