"""The database layer: the worker's app on its own database, per-test rollback, client and runner.

Its hooks clean up at the end of the run: the controller drops the template database and says
which databases ``--keep-db`` kept. No cleanup may crash pytest or hide a test's own error.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from flask_harness.config import settings as harness_settings
from flask_harness.config.settings import HarnessSettings

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner
    from flask_sqlalchemy import SQLAlchemy

    from flask_harness.app.loading import AppFactory
    from flask_harness.db.backends import DatabaseBackend
    from flask_harness.db.isolation import SharedConnection

# Per process: the databases this process made ("kind", description), for the session-end hooks.
MADE_DATABASES = pytest.StashKey[list[tuple[str, str]]]()
WORKEROUTPUT_KEY = "flask_harness_databases"


@pytest.fixture(scope="session")
def flask_harness_settings(pytestconfig: pytest.Config) -> HarnessSettings:
    """The harness's resolved settings (command line, environment, ini)."""
    return harness_settings.of(pytestconfig)


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


def _backend(settings: HarnessSettings) -> DatabaseBackend:
    from flask_harness.db.backends import backend_for

    return backend_for(settings.db_url, settings.run_folder, settings.run_id)


@pytest.fixture(scope="session")
def worker_folders(flask_harness_settings: HarnessSettings,
                   tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """This worker's folder for each config key in ``flask_harness_temp_folders``, emptied after each test."""
    return {key: tmp_path_factory.mktemp(f"{key.lower()}-{flask_harness_settings.worker}", numbered=False)
            for key in flask_harness_settings.temp_folders}


def _template_data(config: pytest.Config, app: Flask) -> None:
    """Run the ``pytest_flask_harness_template`` hooks inside the app, and commit what they add."""
    from flask_harness.app.loading import sqlalchemy_of

    db = sqlalchemy_of(app)
    with app.app_context():
        config.hook.pytest_flask_harness_template(app=app, db=db)
        db.session.commit()
        db.session.remove()


def _dispose(app: Flask) -> None:
    from flask_harness.app.loading import sqlalchemy_of

    with app.app_context():
        for engine in sqlalchemy_of(app).engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def app(
    pytestconfig: pytest.Config,
    flask_harness_settings: HarnessSettings,
    flask_app_factory: AppFactory,
    flask_app_config: dict[str, Any],
    worker_folders: dict[str, Path],
) -> Iterator[Flask]:
    """The app under test, built once per worker on the worker's own database.

    The first worker builds the schema (migrations, else ``create_all``) and the
    ``pytest_flask_harness_template`` data in its database and saves it as the run's template;
    the others start from a copy of it.
    """
    from flask import request_started

    from flask_harness.db import schema
    from flask_harness.app.loading import build_app, sqlalchemy_of
    from flask_harness.db.isolation import enable_sqlite_savepoints

    settings = flask_harness_settings
    backend = _backend(settings)
    url = backend.url_for(settings.worker)
    overrides = {"TESTING": True, **{key: str(path) for key, path in worker_folders.items()},
                 **flask_app_config, "SQLALCHEMY_DATABASE_URI": url}
    made = pytestconfig.stash.setdefault(MADE_DATABASES, [])
    try:
        with backend.lock():
            from_template = backend.template_exists()
            made.append(("worker", backend.describe(settings.worker)))
            if from_template:
                backend.clone_template(settings.worker)
            else:
                backend.create_empty(settings.worker)
            application = build_app(flask_app_factory, overrides, url)
            if not from_template:
                schema.build(application, schema.find_migrations(settings, application))
                _template_data(pytestconfig, application)
                _dispose(application)
                made.append(("template", "template"))
                backend.save_as_template(settings.worker)
        request_started.connect(_fresh_g_per_request, application)
        with application.app_context():
            for engine in sqlalchemy_of(application).engines.values():
                engine.dispose()
                enable_sqlite_savepoints(engine)
        yield application
        _dispose(application)
    finally:
        if not settings.keep_db:
            try:
                backend.drop(settings.worker)
            except Exception as exc:  # said at the end of the run: never a test's error, never masks one
                made.append(("cleanup-error", f"could not drop the test database "
                                              f"{backend.describe(settings.worker)}: {exc!r}"))


def _fresh_g_per_request(sender: Flask, **_extra: Any) -> None:
    """Start each request with an empty ``g``, as in production.

    Test-client requests reuse the test's app context, so without this a user that Flask-Login
    cached in ``g`` (or a CSRF token) would leak from one client's request into the next.
    """
    from flask import g

    g.__dict__.clear()


@pytest.fixture(scope="session")
def _shared_connection(app: Flask) -> Iterator[SharedConnection]:
    from flask_harness.app.loading import sqlalchemy_of
    from flask_harness.db.isolation import SharedConnection

    db = sqlalchemy_of(app)
    with app.app_context():
        shared = SharedConnection(db, db.engine)
    yield shared
    shared.close()


@pytest.fixture
def db(request: pytest.FixtureRequest, pytestconfig: pytest.Config, app: Flask,
       _shared_connection: SharedConnection, worker_folders: dict[str, Path]) -> Iterator[SQLAlchemy]:
    """The app's Flask-SQLAlchemy extension inside a transaction rolled back after the test.

    The test runs inside an app context; its commits (and those of requests it makes) are real
    to every session of the test and vanish afterwards. The worker folders are emptied after it.
    A test marked ``live_commit`` commits for real instead: its tables are emptied after it and
    the template data put back.
    """
    from flask_harness.db.cleanup import empty_folder, empty_tables

    committing = request.node.get_closest_marker("live_commit") is not None
    if not committing:
        _shared_connection.start()
    context = app.app_context()
    context.push()
    try:
        yield _shared_connection.db
    finally:
        context.pop()
        if committing:
            empty_tables(app)
            _template_data(pytestconfig, app)
        else:
            _shared_connection.stop()
        for folder in worker_folders.values():
            empty_folder(folder)


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failing test whose form posts were refused for CSRF says so."""
    report: Any = yield
    refusals = item.stash.get(CSRF_REFUSALS, [])
    if report.when == "call" and report.failed and refusals:
        report.sections.append(("flask-harness: CSRF", CSRF_HINT.format("\n".join(f"  {r}" for r in refusals))))
    return report  # type: ignore[no-any-return]


@pytest.fixture
def runner(app: Flask, db: SQLAlchemy) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, on the isolated database."""
    return app.test_cli_runner()


# --- session end ----------------------------------------------------------------------------------


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker tells the controller what it made; the controller (or a lone process) cleans up."""
    config = session.config
    made = config.stash.get(MADE_DATABASES, [])
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[WORKEROUTPUT_KEY] = made
        return
    settings = harness_settings.of(config)
    said = config.stash.setdefault(CLEANUP_LINES, [])
    said += [(f"flask-harness: {message}", True) for kind, message in made if kind == "cleanup-error"]
    try:
        _clean_up_run(settings, made, said)
    except Exception as exc:  # cleanup never crashes pytest nor hides a test's error
        said.append((f"flask-harness: could not clean up the test databases: {exc!r}", True))


# What the session-end cleanup has to say, and whether it is a warning; printed in the summary.
CLEANUP_LINES = pytest.StashKey[list[tuple[str, bool]]]()


def _clean_up_run(settings: HarnessSettings, made: list[tuple[str, str]], said: list[tuple[str, bool]]) -> None:
    if not any(kind in ("worker", "template") for kind, _ in made):
        return
    backend = _backend(settings)
    if settings.keep_db:
        kept = sorted(name for kind, name in made if kind == "worker")
        said.append(("flask-harness: kept the test databases " + ", ".join(kept)
                     + f" (template {backend.describe('template')})", False))
        return
    if any(kind == "template" for kind, _ in made):
        backend.drop_template()
    shutil.rmtree(settings.run_folder, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say what the cleanup kept or could not do, on lines of their own (after pytest_sessionfinish)."""
    for line, warning in config.stash.get(CLEANUP_LINES, []):
        terminalreporter.write_line(line, yellow=warning)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Collect what each xdist worker made."""
    made = getattr(node, "workeroutput", {}).get(WORKEROUTPUT_KEY, [])
    node.config.stash.setdefault(MADE_DATABASES, []).extend(tuple(entry) for entry in made)
