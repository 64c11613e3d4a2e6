"""The db wing's fixtures: per-test rollback on the worker's database, its folders, the run's cleanup.

Its hooks explain a failure the database may cause (the template's rows, a connection the server
closed) and clean up at the end of the run: the controller drops the template database and says
which databases ``--keep-db`` kept. No cleanup may crash pytest or hide a test's own error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from flask_harness.config import settings as harness_settings
from flask_harness.config.settings import HarnessSettings
from flask_harness.db.binds import OTHER_SERVER
from flask_harness.db.worker import backend_of, fill_template, made_databases
from flask_harness.run.artifacts import record_of

if TYPE_CHECKING:
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    from flask_harness.db.isolation import SharedConnection

WORKEROUTPUT_KEY = "flask_harness_databases"
# The worker's shared connection, on each test that runs in its transaction.
SHARED_CONNECTION = pytest.StashKey["SharedConnection"]()


@pytest.fixture(scope="session")
def worker_folders(flask_harness_settings: HarnessSettings,
                   tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """This worker's folder for each config key in ``flask_harness_temp_folders``, emptied after each test."""
    return {key: tmp_path_factory.mktemp(f"{key.lower()}-{flask_harness_settings.worker}", numbered=False)
            for key in flask_harness_settings.temp_folders}


@pytest.fixture(scope="session")
def _shared_connection(flask_harness_app: Flask) -> Iterator[SharedConnection]:
    from flask_harness.db.extension import sqlalchemy_of
    from flask_harness.db.isolation import SharedConnection

    db = sqlalchemy_of(flask_harness_app)
    with flask_harness_app.app_context():
        shared = SharedConnection(db, db.engine, {key: engine for key, engine in db.engines.items() if key})
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def _ran_against(pytestconfig: pytest.Config, flask_harness_app: Flask,
                 _shared_connection: SharedConnection) -> dict[str, str]:
    """The app setting and the worker's databases with their drivers, for each test's record (the report's header)."""
    binds = [f"{key} {database_of(engine)}" for key, engine in _shared_connection.engines.items() if key]
    return {"app": harness_settings.of(pytestconfig).flask_app or flask_harness_app.import_name,
            "database": " ".join([database_of(_shared_connection.engine), *(f"({bind})" for bind in binds)])}


@pytest.fixture
def flask_harness_db(request: pytest.FixtureRequest, pytestconfig: pytest.Config, flask_harness_app: Flask,
                     _shared_connection: SharedConnection, worker_folders: dict[str, Path],
                     _ran_against: dict[str, str]) -> Iterator[SQLAlchemy]:
    """The app's Flask-SQLAlchemy extension inside a transaction rolled back after the test (``db``).

    The test runs inside an app context, where ``url_for`` builds URLs as in a request to
    ``http://localhost`` (unless the app sets ``SERVER_NAME``). Its commits (and those of requests
    it makes) are real to every session of the test and vanish afterwards. The worker folders are
    emptied after it. A test marked ``live_commit`` commits for real instead: its tables are
    emptied after it and the template data put back. A test marked ``reset_sequences`` starts with the id counters of
    a fresh database (PostgreSQL's sequences and MariaDB's counters survive rollbacks).
    """
    from flask_harness.db.cleanup import empty_folder, empty_tables
    from flask_harness.db.sequences import restart_sequences
    from flask_harness.db.urls import build_urls_as_localhost

    app = flask_harness_app
    record_of(request.node).environment.update(_ran_against)
    committing = request.node.get_closest_marker("live_commit") is not None
    if request.node.get_closest_marker("reset_sequences") is not None:
        for key, engine in _shared_connection.engines.items():
            restart_sequences(engine, list(_shared_connection.db.metadatas[key].sorted_tables))
    if not committing:
        _shared_connection.start()
        request.node.stash[SHARED_CONNECTION] = _shared_connection
    context = app.app_context()
    build_urls_as_localhost(context)
    context.push()
    try:
        yield _shared_connection.db
    finally:
        context.pop()
        if committing:
            empty_tables(app)
            fill_template(pytestconfig, app)
        else:
            _shared_connection.stop()
        for folder in worker_folders.values():
            empty_folder(folder)


@pytest.fixture
def db(flask_harness_db: SQLAlchemy) -> SQLAlchemy:
    """The app's Flask-SQLAlchemy extension, rolled back after the test (see ``flask_harness_db``).

    A suite with a database fixture of its own returns ``flask_harness_db`` from it.
    """
    return flask_harness_db


def database_of(engine: Any) -> str:
    """The engine's database with its SQLAlchemy driver (``postgresql+psycopg2://…``), no password."""
    url = engine.url.set(drivername=f"{engine.dialect.name}+{engine.dialect.driver}")
    return str(url.render_as_string(hide_password=True))


# --- failures the database may explain -------------------------------------------------------------

TEMPLATE_IS_RUN_WIDE = (
    "Every test of the run starts with the rows pytest_flask_harness_template adds, wherever the hook "
    "is defined ({where}): the hook is run-wide, as the template it fills is. A test that expects "
    "empty tables fails on them (a unique constraint, a count). Keep in the hook only the rows every "
    "test needs, and give the others to the tests that need them with a fixture."
)


def template_hook_files(config: pytest.Config) -> list[str]:
    """The files that define ``pytest_flask_harness_template`` (conftest.py, plugins)."""
    impls = config.hook.pytest_flask_harness_template.get_hookimpls()
    return sorted({str(getattr(impl.plugin, "__file__", impl.plugin_name)) for impl in impls})


CONNECTION_CLOSED = (
    "The connection to the test database {database} was closed by the server during this test: "
    "pg_terminate_backend or KILL, a restart or a timeout (the driver said: {error}). The test's "
    "transaction went with it, so the test failed; later tests get a new connection."
)


def pytest_flask_harness_report(item: pytest.Item, report: Any, call: Any) -> None:
    """Say when the server closed the test's connection, or when the template's rows may explain an integrity error."""
    if not report.failed or "sqlalchemy" not in sys.modules:
        return
    shared = item.stash.get(SHARED_CONNECTION, None)
    if shared is not None and shared.lost is not None:
        error = str(shared.lost).strip().splitlines()[0]
        report.sections.append(("flask-harness database", CONNECTION_CLOSED.format(
            database=shared.lost_database, error=error)))
        return
    from sqlalchemy.exc import IntegrityError

    files = template_hook_files(item.config)
    if files and call.excinfo is not None and call.excinfo.errisinstance(IntegrityError):
        report.sections.append(("flask-harness template", TEMPLATE_IS_RUN_WIDE.format(where=", ".join(files))))


# --- the run's start and end: its locks, dead runs' leftovers, its cleanup ----------------------------

RUN_LOCKS = pytest.StashKey[Any]()  # leftovers.RunLocks of the controller (or lone process)
LEFTOVER_LINES = pytest.StashKey[list[str]]()


def _is_xdist_worker(config: pytest.Config) -> bool:
    return getattr(config, "workerinput", None) is not None


@pytest.hookimpl(tryfirst=True)  # before xdist starts its workers, and before the header is written
def pytest_sessionstart(session: pytest.Session) -> None:
    """The controller (or a lone process) locks its run, then removes what dead runs left."""
    from flask_harness.db import leftovers

    config = session.config
    if _is_xdist_worker(config):
        return
    settings = harness_settings.of(config)
    backend = backend_of(config)
    try:
        config.stash[RUN_LOCKS] = locks = leftovers.take_locks(settings, backend)
        found = leftovers.remove_dead_runs(settings, backend, locks, drop_kept=settings.drop_kept)
    except Exception as exc:  # never a reason to stop the run
        config.stash[LEFTOVER_LINES] = [f"flask-harness: could not look for what dead runs left: {exc!r}"]
    else:
        config.stash[LEFTOVER_LINES] = found.lines()


def pytest_report_header(config: pytest.Config) -> list[str]:
    return config.stash.get(LEFTOVER_LINES, [])


@pytest.hookimpl(trylast=True)  # after xdist has ended its workers
def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker tells the controller what it made; the controller (or a lone process) cleans up."""
    from flask_harness.db import leftovers

    config = session.config
    made = made_databases(config)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[WORKEROUTPUT_KEY] = made
        return
    said = config.stash.setdefault(CLEANUP_LINES, [])
    said += [(f"flask-harness: {message}", True) for kind, message in made if kind == "cleanup-error"]
    settings = harness_settings.of(config)
    if settings.keep_db and any(kind == "worker" for kind, _ in made):
        kept = sorted(name for kind, name in made if kind == "worker")
        said.append(("flask-harness: kept the test databases " + ", ".join(kept)
                     + f" (template {backend_of(config).describe('template')})", False))
    locks = config.stash.get(RUN_LOCKS, None)
    if locks is None:
        return
    try:
        leftovers.finish(settings, backend_of(config), locks,
                         [url for kind, url in made if kind == OTHER_SERVER])
    except Exception as exc:  # cleanup never crashes pytest nor hides a test's error
        said.append((f"flask-harness: could not clean up the test databases: {exc!r}", True))


# What the session-end cleanup has to say, and whether it is a warning; printed in the summary.
CLEANUP_LINES = pytest.StashKey[list[tuple[str, bool]]]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say what the cleanup kept or could not do, on lines of their own (after pytest_sessionfinish)."""
    for line, warning in config.stash.get(CLEANUP_LINES, []):
        terminalreporter.write_line(line, yellow=warning)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Collect what each xdist worker made."""
    made = getattr(node, "workeroutput", {}).get(WORKEROUTPUT_KEY, [])
    made_databases(node.config).extend(tuple(entry) for entry in made)
