"""Building the schema of an empty test database: the app's migrations, else ``create_all``.

Three tools' migrations: Flask-Alembic's (the folder its ``Alembic`` extension names, ``migrations/``
in the app's package by default, no ``env.py``), plain Alembic's (an ``alembic.ini`` with a
``script_location`` in the rootdir or beside the app; the upgrade runs on the test database, never
the ini's ``sqlalchemy.url``) and Flask-Migrate's (the folder its ``Migrate`` names, else a
``migrations/`` beside the app or in the rootdir). The ``flask_harness_migrations`` setting names
the folder, its tool told by its content. Relative folders never depend on the working directory;
a tool that is not installed is an error naming its install. Alembic's stock ``env.py`` calls
``logging.config.fileConfig()``, which disables every logger that exists (``app.logger`` among
them): the logging configuration is put back as it was after the build.
"""

from __future__ import annotations

import configparser
import importlib
import importlib.util
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    from flask_harness.config.settings import HarnessSettings

FLASK_MIGRATE, FLASK_ALEMBIC, ALEMBIC = "Flask-Migrate", "Flask-Alembic", "Alembic"


@dataclass(frozen=True)
class Migrations:
    """Where the migrations are and which tool runs them (``ini``: plain Alembic's ``alembic.ini``)."""

    tool: str
    folder: Path
    ini: Path | None = None

    def __str__(self) -> str:
        return f"{self.tool} migrations in {self.folder}" + (f" ({self.ini})" if self.ini else "")


def _is_migrations_folder(path: Path) -> bool:
    return (path / "env.py").is_file() and (path / "versions").is_dir()


def _is_flask_alembic_folder(path: Path) -> bool:
    """Flask-Alembic's folder: its revisions and the template its ``mkdir`` copies, no ``env.py``."""
    return (path / "script.py.mako").is_file() and not (path / "env.py").exists()


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


def _roots(settings: HarnessSettings, app: Flask | None) -> list[Path]:
    """The app's folder, its module's folder, their parents and the rootdir, in that order."""
    roots = [Path(app.root_path)] if app is not None else []
    module_folder = _app_module_folder(settings.flask_app)
    if module_folder is not None:
        roots.append(module_folder)
    return [*roots, *(root.parent for root in roots), settings.rootpath]


def _alembic_ini(ini: Path) -> Migrations | None:
    """Plain Alembic's migrations an ``alembic.ini`` names; a relative folder is the ini's folder's."""
    if not ini.is_file():
        return None
    parser = configparser.ConfigParser(defaults={"here": str(ini.parent)})
    try:
        parser.read(ini)
        location = parser.get("alembic", "script_location", fallback=None)
    except configparser.Error:
        return None
    if not location or ":" in location:  # none, or a package resource ("myapp:migrations")
        return None
    return Migrations(ALEMBIC, (ini.parent / location).resolve(), ini.resolve())


def _flask_alembic_folder(app: Flask) -> Path:
    location = app.config.get("ALEMBIC", {}).get("script_location", "migrations")
    return (Path(app.root_path) / location).resolve()


def _of_folder(folder: Path, inis: list[Migrations], app: Flask | None) -> Migrations:
    """The tool of a folder the setting names: an ini's, Flask-Alembic's, else Flask-Migrate's."""
    resolved = folder.resolve()
    if folder.suffix == ".ini" and (named := _alembic_ini(folder)):
        return named
    ini = next((found for found in inis if found.folder == resolved), None)
    if ini is not None:
        return ini
    if (app is not None and "alembic" in app.extensions) or _is_flask_alembic_folder(folder):
        return Migrations(FLASK_ALEMBIC, resolved)
    return Migrations(FLASK_MIGRATE, folder)


def find_migrations(settings: HarnessSettings, app: Flask | None = None) -> Migrations | None:
    """The migrations to build the schema from, or None for ``create_all``."""
    if settings.create_all_only:
        return None
    roots = _roots(settings, app)
    inis = [found for root in dict.fromkeys(roots) if (found := _alembic_ini(root / "alembic.ini"))]
    if settings.migrations is not None:
        return _of_folder(settings.migrations, inis, app)
    if app is not None and "alembic" in app.extensions:
        return Migrations(FLASK_ALEMBIC, _flask_alembic_folder(app))
    migrate = app.extensions.get("migrate") if app is not None else None
    if migrate is None and inis:
        return inis[0]
    directory = Path(getattr(migrate, "directory", None) or "migrations")
    candidates = [directory] if directory.is_absolute() else [root / directory for root in roots]
    folder = next((path.resolve() for path in candidates if _is_migrations_folder(path)), None)
    if folder is not None:
        return Migrations(FLASK_MIGRATE, folder)
    if app is None:  # the header: Flask-Alembic's folder, told by its content
        folder = next((path.resolve() for path in candidates if _is_flask_alembic_folder(path)), None)
        return Migrations(FLASK_ALEMBIC, folder) if folder is not None else None
    return None


def describe(settings: HarnessSettings) -> str:
    """How the schema will be built, for the header line."""
    if settings.create_all_only:
        return "create_all (flask_harness_migrations = create_all)"
    migrations = find_migrations(settings)
    return str(migrations) if migrations else "create_all (no migrations folder found)"


def _require(module: str, package: str, migrations: Migrations) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise RuntimeError(f"{migrations.tool} is needed to build the schema from {migrations}: "
                           f"pip install {package}") from None


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


def build(app: Flask, migrations: Migrations | Path | None) -> str:
    """Create the schema in the app's (empty) database; return how it was built.

    A bare folder is Flask-Alembic's if the app registers it or the folder looks like it, else
    Flask-Migrate's.
    """
    from flask_harness.db.extension import sqlalchemy_of

    if isinstance(migrations, Path):
        migrations = _of_folder(migrations, [], app)
    db = sqlalchemy_of(app)
    with preserved_logging(), app.app_context():
        if migrations is None:
            db.create_all()
        elif migrations.tool == FLASK_ALEMBIC:
            _upgrade_flask_alembic(app, migrations)
        elif migrations.tool == ALEMBIC:
            _upgrade_alembic(db, migrations)
        else:
            _upgrade_flask_migrate(app, db, migrations)
        db.session.remove()
    return str(migrations) if migrations else "create_all"


def _upgrade_flask_migrate(app: Flask, db: SQLAlchemy, migrations: Migrations) -> None:
    flask_migrate = _require("flask_migrate", "Flask-Migrate", migrations)
    if "migrate" not in app.extensions:  # registered outside the factory
        flask_migrate.Migrate(app, db, directory=str(migrations.folder))
    try:
        with warnings.catch_warnings():
            # Flask-Migrate's stock env.py tries db.get_engine() first, which Flask-SQLAlchemy
            # 3.1 deprecates: under filterwarnings = error the template itself would fail.
            warnings.filterwarnings("ignore", "'get_engine' is deprecated", DeprecationWarning)
            flask_migrate.upgrade(directory=str(migrations.folder))
    except SystemExit as exc:  # Flask-Migrate logs the error, then exits
        raise RuntimeError(f"Flask-Migrate's upgrade of {migrations.folder} failed (exit {exc.code}); "
                           f"its error is in the captured log.") from None


def _upgrade_flask_alembic(app: Flask, migrations: Migrations) -> None:
    flask_alembic = _require("flask_alembic", "Flask-Alembic", migrations)
    app.config.setdefault("ALEMBIC", {})["script_location"] = str(migrations.folder)
    if "alembic" not in app.extensions:  # registered outside the factory, or not at all
        flask_alembic.Alembic(app, run_mkdir=False, command_name="")
    app.extensions["alembic"].upgrade()


def _upgrade_alembic(db: SQLAlchemy, migrations: Migrations) -> None:
    """``alembic upgrade head`` on the test database: its URL, and its connection for an ``env.py``
    that takes one (Alembic's cookbook: "Sharing a Connection across ... migration commands")."""
    command = _require("alembic.command", "alembic", migrations)
    from alembic.config import Config

    config = Config(str(migrations.ini) if migrations.ini else None)
    config.set_main_option("script_location", str(migrations.folder))
    url = db.engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # the ini's interpolation
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
