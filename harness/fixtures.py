"""Fixtures for the database layers: the worker's app, per-test isolation, client and runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy import SQLAlchemy

from harness import settings as harness_settings
from harness.appfactory import build_app, build_schema, sqlalchemy_of
from harness.cleanup import empty_folder, empty_tables
from harness.databases import TestDatabases, backend_for
from harness.isolation import SharedConnection, enable_sqlite_savepoints
from harness.settings import shared_root


@pytest.fixture(scope="session")
def harness_config(pytestconfig: pytest.Config) -> harness_settings.HarnessSettings:
    """The harness's resolved settings."""
    return harness_settings.load(pytestconfig)


@pytest.fixture(scope="session")
def flask_app_config() -> dict[str, Any]:
    """Extra config for the app under test; override this fixture to add settings."""
    return {}


@pytest.fixture(scope="session")
def _test_databases(
    harness_config: harness_settings.HarnessSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> TestDatabases:
    root = shared_root(tmp_path_factory, harness_config.worker)
    return backend_for(harness_config.database_url, root, harness_config.run_id)


@pytest.fixture(scope="session")
def _worker_database(
    harness_config: harness_settings.HarnessSettings,
    _test_databases: TestDatabases,
    flask_app_config: dict[str, Any],
) -> Iterator[str]:
    """This worker's database URL, cloned from the run's template (built here if first)."""
    _test_databases.ensure_template(
        lambda url: build_schema(harness_config.app_factory, url, flask_app_config)
    )
    url = _test_databases.create_worker_database(harness_config.worker)
    yield url
    if not harness_config.keep_db:
        _test_databases.drop_worker_database(harness_config.worker)


@pytest.fixture(scope="session")
def upload_root(harness_config: harness_settings.HarnessSettings,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This worker's upload folder (``UPLOAD_FOLDER``), emptied by the ``db`` fixture after each test."""
    return tmp_path_factory.mktemp(f"uploads-{harness_config.worker}", numbered=False)


@pytest.fixture(scope="session")
def app(
    harness_config: harness_settings.HarnessSettings,
    _worker_database: str,
    upload_root: Path,
    flask_app_config: dict[str, Any],
) -> Iterator[Flask]:
    """The app under test, built once per worker on the worker's own database."""
    config = {
        "TESTING": True,
        "UPLOAD_FOLDER": str(upload_root),
        **flask_app_config,
        "SQLALCHEMY_DATABASE_URI": _worker_database,
    }
    application = build_app(harness_config.app_factory, config)
    request_started.connect(_fresh_g_per_request, application)
    db = sqlalchemy_of(application)
    with application.app_context():
        for engine in db.engines.values():
            enable_sqlite_savepoints(engine)
    yield application
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


def _fresh_g_per_request(sender: Flask, **_extra: Any) -> None:
    """Start each request with an empty ``g``, as in production.

    Test-client requests reuse the test's app context, so without this a user that Flask-Login
    cached in ``g`` (or a CSRF token) would leak from one client's request into the next.
    """
    g.__dict__.clear()


@pytest.fixture(scope="session")
def _shared_connection(app: Flask) -> Iterator[SharedConnection]:
    db = sqlalchemy_of(app)
    with app.app_context():
        shared = SharedConnection(db, db.engine)
    yield shared
    shared.close()


@pytest.fixture
def db(
    request: pytest.FixtureRequest, app: Flask, _shared_connection: SharedConnection, upload_root: Path
) -> Iterator[SQLAlchemy]:
    """The app's Flask-SQLAlchemy extension inside a transaction rolled back after the test.

    The test runs inside an app context; its commits (and those of requests it makes) are real
    to every session of the test and vanish afterwards. Files uploaded during the test are removed.
    A test marked ``live_commit`` commits for real instead, and its tables are emptied after it.
    """
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
        else:
            _shared_connection.stop()
        empty_folder(upload_root)


@pytest.fixture
def client(app: Flask, db: SQLAlchemy) -> Iterator[FlaskClient]:
    """A Flask test client on the isolated database."""
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture
def runner(app: Flask, db: SQLAlchemy) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands, on the isolated database."""
    return app.test_cli_runner()
