"""This worker's test database: resolved once, made from the run's template (or made into it), dropped.

The first worker to take the run's lock builds the schema in its own database and saves a copy as
the template; every other worker clones the template (``db.backends`` says how, per server). Each
bind of the app (``SQLALCHEMY_BINDS``) has a database and a template of its own (``db.binds``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from flask_harness.config import settings as harness_settings
from flask_harness.db.backends import DatabaseBackend, backend_for
from flask_harness.db.binds import OTHER_SERVER, bind_backends, other_servers
from flask_harness.db.extension import sqlalchemy_of

if TYPE_CHECKING:
    from flask import Flask

# Per process: the databases this process made ("kind", description), for the session-end hooks.
MADE_DATABASES = pytest.StashKey[list[tuple[str, str]]]()
BACKEND = pytest.StashKey[DatabaseBackend]()


def backend_of(config: pytest.Config) -> DatabaseBackend:
    """The run's database backend, resolved once per process from the settings."""
    if BACKEND not in config.stash:
        settings = harness_settings.of(config)
        config.stash[BACKEND] = backend_for(settings.db_url, settings.run_folder, settings.run_id)
    return config.stash[BACKEND]


def made_databases(config: pytest.Config) -> list[tuple[str, str]]:
    return config.stash.setdefault(MADE_DATABASES, [])


def fill_template(config: pytest.Config, app: Flask) -> None:
    """Run the ``pytest_flask_harness_template`` hooks inside the app, and commit what they add."""
    db = sqlalchemy_of(app)
    with app.app_context():
        config.hook.pytest_flask_harness_template(app=app, db=db)
        db.session.commit()
        db.session.remove()


def dispose(app: Flask) -> None:
    """Close every pooled connection of the app's engines."""
    with app.app_context():
        for engine in sqlalchemy_of(app).engines.values():
            engine.dispose()


def prepare_worker_database(config: pytest.Config, build_app: Callable[[], Flask]) -> Flask:
    """Make this worker's database and build the app on it.

    Under the run's lock: a copy of the template when it exists; else an empty database, in which
    the schema and the template data are built, then saved as the run's template. The same for
    each bind's database, once the built app has named its binds.
    """
    from flask_harness.db import schema

    settings = harness_settings.of(config)
    backend = backend_of(config)
    made = made_databases(config)
    with backend.lock():
        from_template = backend.template_exists()
        made.append(("worker", backend.describe(settings.worker)))
        if from_template:
            backend.clone_template(settings.worker)
        else:
            backend.create_empty(settings.worker)
        app = build_app()
        binds = bind_backends(config).values()
        made.extend((OTHER_SERVER, url) for url in other_servers(config))
        for bind in binds:
            made.append(("worker", bind.describe(settings.worker)))
            if from_template:
                bind.clone_template(settings.worker)
            else:
                bind.create_empty(settings.worker)
        if not from_template:
            schema.build(app, schema.find_migrations(settings, app))
            fill_template(config, app)
            dispose(app)
            made.append(("template", "template"))
            for bind in binds:  # before the default's: its template says the run's templates exist
                bind.save_as_template(settings.worker)
            backend.save_as_template(settings.worker)
    return app


def prepare_empty_worker_database(config: pytest.Config) -> None:
    """Make this worker's database empty, for a suite that builds its schema itself (no app named)."""
    settings = harness_settings.of(config)
    backend = backend_of(config)
    with backend.lock():
        made_databases(config).append(("worker", backend.describe(settings.worker)))
        backend.create_empty(settings.worker)


def drop_worker_database(config: pytest.Config) -> None:
    """Drop this worker's databases (not under ``--keep-db``); a failure is said at the end of the run."""
    settings = harness_settings.of(config)
    if settings.keep_db:
        return
    for backend in (backend_of(config), *bind_backends(config).values()):
        try:
            backend.drop(settings.worker)
        except Exception as exc:  # said at the end of the run: never a test's error, never masks one
            made_databases(config).append(("cleanup-error", f"could not drop the test database "
                                                            f"{backend.describe(settings.worker)}: {exc!r}"))
