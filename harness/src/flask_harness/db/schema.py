"""Building the schema of an empty test database: Flask-Migrate's migrations, else ``create_all``.

The migrations folder is the ``flask_harness_migrations`` setting, else the folder the app's
Flask-Migrate names, else a ``migrations/`` folder beside the app or in the rootdir; relative
folders never depend on the working directory. Alembic's stock ``env.py`` calls
``logging.config.fileConfig()``, which disables every logger that exists (``app.logger`` among
them): the logging configuration is put back as it was after the build.
"""

from __future__ import annotations

import importlib.util
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from flask_harness.config.settings import HarnessSettings


def _is_migrations_folder(path: Path) -> bool:
    return (path / "env.py").is_file() and (path / "versions").is_dir()


def _app_module_folder(flask_app: str | None) -> Path | None:
    if not flask_app:
        return None
    module = flask_app.partition(":")[0]
    if module == "conftest" or module.endswith(".py"):
        return None
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def find_migrations(settings: HarnessSettings, app: Flask | None = None) -> Path | None:
    """The migrations folder to build the schema from, or None for ``create_all``."""
    if settings.migrations is not None:
        return settings.migrations
    candidates: list[Path] = []
    migrate = app.extensions.get("migrate") if app is not None else None
    directory = Path(getattr(migrate, "directory", None) or "migrations")
    if directory.is_absolute():
        candidates.append(directory)
    else:
        roots = [Path(app.root_path)] if app is not None else []
        module_folder = _app_module_folder(settings.flask_app)
        if module_folder is not None:
            roots.append(module_folder)
        roots += [root.parent for root in roots] + [settings.rootpath]
        candidates += [root / directory for root in roots]
    return next((path.resolve() for path in candidates if _is_migrations_folder(path)), None)


def describe(settings: HarnessSettings) -> str:
    """How the schema will be built, for the header line."""
    migrations = find_migrations(settings)
    return f"migrations in {migrations}" if migrations else "create_all (no migrations folder found)"


@contextmanager
def preserved_logging() -> Iterator[None]:
    """Undo what ``logging.config.fileConfig`` does: disabled loggers, handlers, levels."""
    manager = logging.Logger.manager
    root = logging.getLogger()
    loggers = {name: logger for name, logger in manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    saved = {name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
             for name, logger in loggers.items()}
    root_state = (root.level, list(root.handlers))
    try:
        yield
    finally:
        for name, (disabled, level, handlers, propagate) in saved.items():
            logger = loggers[name]
            logger.disabled, logger.level, logger.propagate = disabled, level, propagate
            logger.handlers[:] = handlers
        root.level = root_state[0]
        root.handlers[:] = root_state[1]


def build(app: Flask, migrations: Path | None) -> str:
    """Create the schema in the app's (empty) database; return how it was built."""
    from flask_harness.db.extension import sqlalchemy_of

    db = sqlalchemy_of(app)
    with preserved_logging(), app.app_context():
        if migrations is not None:
            from flask_migrate import Migrate, upgrade

            if "migrate" not in app.extensions:  # registered outside the factory
                Migrate(app, db, directory=str(migrations))
            try:
                with warnings.catch_warnings():
                    # Flask-Migrate's stock env.py tries db.get_engine() first, which Flask-SQLAlchemy
                    # 3.1 deprecates: under filterwarnings = error the template itself would fail.
                    warnings.filterwarnings("ignore", "'get_engine' is deprecated", DeprecationWarning)
                    upgrade(directory=str(migrations))
            except SystemExit as exc:  # Flask-Migrate logs the error, then exits
                raise RuntimeError(f"Flask-Migrate's upgrade of {migrations} failed (exit {exc.code}); "
                                   f"its error is in the captured log.") from None
            how = f"migrations in {migrations}"
        else:
            db.create_all()
            how = "create_all"
        db.session.remove()
    return how
