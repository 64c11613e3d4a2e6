"""The app wing's fixtures: the worker's app on its own database, the test client and CLI runner.

``app`` takes three steps: prepare the worker's database (``db.worker``), build the app on it
(``app.loading``, which checks that every engine points at it), and isolate each request.
A failing test whose form posts Flask-WTF refused for CSRF says so in its report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from flask_harness.config.settings import HarnessSettings
from flask_harness.db.worker import dispose, drop_worker_database, prepare_worker_database

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner
    from flask_sqlalchemy import SQLAlchemy

    from flask_harness.app.loading import AppFactory


@pytest.fixture(scope="session")
def flask_app_config() -> dict[str, Any]:
    """Extra config for the app under test, for every test; override this fixture to add settings.

    For example ``{"WTF_CSRF_ENABLED": False}`` lets test-client form posts through without a CSRF
    token (the harness says so in a failing test's report when a token was missing).
    """
    return {}


@pytest.fixture(scope="session")
def flask_app_factory(flask_harness_settings: HarnessSettings) -> AppFactory:
    """``make(overrides) -> Flask`` from the ``flask_app`` setting; override it to build the app yourself.

    ``overrides`` holds the test database URL, ``TESTING`` and ``flask_app_config``; the app
    it returns must use them (the harness checks its engines).
    """
    from flask_harness.app.loading import SHAPES, factory_from_setting

    if not flask_harness_settings.flask_app:
        raise pytest.UsageError(
            "The Flask harness needs your app: add flask_app = \"package:create_app\" to "
            f"[tool.pytest.ini_options], pass --flask-app, or define a flask_app_factory fixture.\n{SHAPES}")
    return factory_from_setting(flask_harness_settings.flask_app, flask_harness_settings.rootpath)


@pytest.fixture(scope="session")
def flask_harness_app(
    pytestconfig: pytest.Config,
    flask_harness_settings: HarnessSettings,
    flask_app_factory: AppFactory,
    flask_app_config: dict[str, Any],
    worker_folders: dict[str, Path],
) -> Iterator[Flask]:
    """The app under test, built once per worker on the worker's own database (``app`` is this one).

    The first worker builds the schema (migrations, else ``create_all``) and the
    ``pytest_flask_harness_template`` data in its database and saves it as the run's template;
    the others start from a copy of it. Each of the app's ``SQLALCHEMY_BINDS`` gets a database of
    its own in the same way. A suite with an ``app`` fixture of its own returns this
    one from it (README, "Moving an existing suite"); the harness's own fixtures use this name, so
    they work whatever scope the suite's ``app`` has.
    """
    from flask_harness.app.loading import build_app
    from flask_harness.db.binds import bind_test_url
    from flask_harness.db.worker import backend_of

    url = backend_of(pytestconfig).url_for(flask_harness_settings.worker)
    overrides = {"TESTING": True, **{key: str(path) for key, path in worker_folders.items()},
                 **flask_app_config, "SQLALCHEMY_DATABASE_URI": url}
    try:
        try:
            application = prepare_worker_database(pytestconfig, lambda: build_app(
                flask_app_factory, overrides, url, lambda key, bind: bind_test_url(pytestconfig, key, bind)))
        except Exception as exc:  # pytest raises it again in every test: the report shows it once
            pytestconfig.stash[BUILD_ERROR] = exc
            raise
        isolate_requests(application)
        yield application
        dispose(application)
    finally:
        drop_worker_database(pytestconfig)


@pytest.fixture(scope="session")
def app(flask_harness_app: Flask) -> Flask:
    """The app under test, built once per worker on its own database (see ``flask_harness_app``)."""
    return flask_harness_app


@pytest.fixture(scope="session", autouse=True)
def _database_named_by_app_db_env(request: pytest.FixtureRequest,
                                  flask_harness_settings: HarnessSettings) -> Iterator[None]:
    """Under ``flask_harness_app_db_env``, the worker's database exists before the first test.

    A suite that builds its own app from that variable finds the schema (the harness builds its
    app first, which clones the template) or, with no app named, an empty database.
    """
    if not flask_harness_settings.app_db_env:
        yield
        return
    if flask_harness_settings.flask_app or defined_app_factory(request.config):
        request.getfixturevalue("flask_harness_app")
        yield
        return
    from flask_harness.db.worker import prepare_empty_worker_database

    try:
        prepare_empty_worker_database(request.config)
        yield
    finally:
        drop_worker_database(request.config)


def defined_app_factory(config: pytest.Config) -> str | None:
    """The conftest.py that defines a ``flask_app_factory`` fixture, if one does."""
    for plugin in config.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None) or ""
        if Path(file).name == "conftest.py" and hasattr(plugin, "flask_app_factory"):
            return str(file)
    return None


# The exception the worker's app build raised: its first test shows it, the others point there.
BUILD_ERROR = pytest.StashKey[BaseException]()
FIRST_BUILD_FAILURE = pytest.StashKey[str]()


def isolate_requests(app: Flask) -> None:
    """Each request starts with an empty ``g``; SQLite connections get real savepoints."""
    from flask import request_started

    from flask_harness.db.extension import sqlalchemy_of
    from flask_harness.db.isolation import enable_sqlite_savepoints

    request_started.connect(_fresh_g_per_request, app)
    with app.app_context():
        for engine in sqlalchemy_of(app).engines.values():
            engine.dispose()
            enable_sqlite_savepoints(engine)


def _fresh_g_per_request(sender: Flask, **_extra: Any) -> None:
    """Start each request with an empty ``g``, as in production.

    Test-client requests reuse the test's app context, so without this a user that Flask-Login
    cached in ``g`` (or a CSRF token) would leak from one client's request into the next.
    """
    from flask import g

    g.__dict__.clear()


@pytest.fixture
def client(request: pytest.FixtureRequest, app: Flask, db: SQLAlchemy) -> Iterator[FlaskClient]:
    """A Flask test client on the isolated database.

    If Flask-WTF refuses one of its form posts for a missing CSRF token and the test fails, the
    report says so, and how to turn CSRF off for tests (``flask_app_config``).
    """
    from flask import request_finished, template_rendered

    refusals = request.node.stash.setdefault(CSRF_REFUSALS, [])

    def on_render(sender: Flask, template: Any, context: dict[str, Any], **_extra: Any) -> None:
        from flask import request as current

        for value in context.values():
            errors = getattr(value, "errors", None)
            if isinstance(errors, dict) and "csrf_token" in errors:
                refusals.append(f"{current.method} {current.path}: {type(value).__name__} re-rendered "
                                f"with csrf_token error {errors['csrf_token']}")

    def on_finish(sender: Flask, response: Any, **_extra: Any) -> None:
        from flask import request as current

        # An error page reads as streamed (a ClosingIterator); only a file sent as is stays unread.
        if response.status_code == 400 and not response.direct_passthrough and b"CSRF" in response.get_data():
            refusals.append(f"{current.method} {current.path}: 400 from Flask-WTF's CSRF protection")

    with template_rendered.connected_to(on_render, app), request_finished.connected_to(on_finish, app), \
            app.test_client() as test_client:
        yield test_client


CSRF_REFUSALS = pytest.StashKey[list[str]]()
CSRF_HINT = ("Flask-WTF refused these test-client requests for a missing or wrong CSRF token:\n{}\n"
             "Test-client posts carry no token. Turn CSRF off for tests by overriding the fixture\n"
             "    @pytest.fixture(scope=\"session\")\n    def flask_app_config():\n"
             "        return {{\"WTF_CSRF_ENABLED\": False}}\n"
             "(live_server_config can turn it back on for browser tests), or send the token.")


def pytest_flask_harness_report(item: pytest.Item, report: Any, call: pytest.CallInfo[None]) -> None:
    """A failing test whose form posts were refused for CSRF says so; a failed app build is shown once."""
    build_error = item.config.stash.get(BUILD_ERROR, None)
    if report.when == "setup" and report.failed and call.excinfo is not None and call.excinfo.value is build_error:
        first = item.config.stash.setdefault(FIRST_BUILD_FAILURE, item.nodeid)
        if first != item.nodeid:
            report.longrepr = f"flask-harness: the app could not be built (see the first error, in {first})"
    refusals = item.stash.get(CSRF_REFUSALS, [])
    if report.when == "call" and report.failed and refusals:
        report.sections.append(("flask-harness: CSRF", CSRF_HINT.format("\n".join(f"  {r}" for r in refusals))))


@pytest.fixture
def runner(app: Flask, db: SQLAlchemy) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, on the isolated database."""
    return app.test_cli_runner()


