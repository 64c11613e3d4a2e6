"""Finding the migrations and their tool, putting logging back after alembic, a failed upgrade's message."""

from __future__ import annotations

import dataclasses
import logging
import logging.config
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask_alembic import Alembic
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from example_apps import APPS
from flask_harness.config.settings import HarnessSettings
from flask_harness.db import schema

SETTINGS = HarnessSettings(flask_app=None, db_url="sqlite://", db_url_source="default", app_db_env=None,
                           migrations=None, temp_folders=(), keep_db=False, run_id="abc", worker="main",
                           rootpath=Path("/nowhere"))


def migrations_in(folder: Path) -> Path:
    shutil.copytree(APPS / "migrate_stock" / "migrations", folder)
    return folder


def test_the_migrations_setting_wins(tmp_path: Path) -> None:
    settings = dataclasses.replace(SETTINGS, migrations=tmp_path / "db")

    assert schema.find_migrations(settings) == schema.Migrations("Flask-Migrate", tmp_path / "db")


def test_an_absolute_flask_migrate_directory_is_used_as_is(tmp_path: Path) -> None:
    folder = migrations_in(tmp_path / "elsewhere")
    app = Flask(__name__)
    Migrate(app, SQLAlchemy(), directory=str(folder))

    assert schema.find_migrations(SETTINGS, app) == schema.Migrations("Flask-Migrate", folder)
    assert schema.find_migrations(SETTINGS) is None


def test_migrations_in_the_rootdir_are_found_without_an_app_and_described(tmp_path: Path) -> None:
    folder = migrations_in(tmp_path / "migrations")
    settings = dataclasses.replace(SETTINGS, rootpath=tmp_path)

    assert schema.describe(settings) == f"Flask-Migrate migrations in {folder}"
    assert schema.describe(SETTINGS) == "create_all (no migrations folder found)"


def test_a_folder_the_setting_names_is_an_alembic_ini_s_when_one_names_it(tmp_path: Path) -> None:
    shutil.copytree(APPS / "alembic_ini", tmp_path, dirs_exist_ok=True)
    settings = dataclasses.replace(SETTINGS, rootpath=tmp_path, migrations=tmp_path / "alembic")

    assert schema.find_migrations(settings) == schema.Migrations("Alembic", tmp_path / "alembic",
                                                                 tmp_path / "alembic.ini")
    assert schema.find_migrations(dataclasses.replace(settings, migrations=None)) == schema.find_migrations(settings)


def test_flask_alembic_s_folder_is_the_one_its_extension_names(tmp_path: Path) -> None:
    app = Flask(__name__, root_path=str(tmp_path))
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", ALEMBIC={"script_location": "db/revisions"})
    SQLAlchemy(app)
    Alembic(app, run_mkdir=False, command_name="")

    assert schema.find_migrations(SETTINGS, app) == schema.Migrations("Flask-Alembic", tmp_path / "db" / "revisions")


SHARING_ENV = """
from alembic import context

connection = context.config.attributes["connection"]  # Alembic's cookbook: the caller's connection
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
"""


def test_plain_alembic_gets_the_test_database_s_connection_for_an_env_py_that_takes_it(tmp_path: Path) -> None:
    shutil.copytree(APPS / "alembic_ini", tmp_path, dirs_exist_ok=True)
    (tmp_path / "alembic" / "env.py").write_text(SHARING_ENV)
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test_main.sqlite'}"
    db = SQLAlchemy(app)
    migrations = schema._alembic_ini(tmp_path / "alembic.ini")
    assert migrations is not None

    assert schema.build(app, migrations) == f"Alembic migrations in {tmp_path / 'alembic'} ({tmp_path / 'alembic.ini'})"

    with app.app_context():
        assert db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("flask_app", [None, "conftest:make_app", "wsgi.py", "no_such_module_here:app",
                                       "no_such_package.sub:app", "flask_harness.db.cleanup"])
def test_the_app_module_folder_is_found_only_for_an_importable_module(flask_app: str | None) -> None:
    folder = schema._app_module_folder(flask_app)

    if flask_app == "flask_harness.db.cleanup":
        assert folder == Path(schema.__file__).parent
    else:
        assert folder is None


def test_preserved_logging_undoes_what_file_config_does(tmp_path: Path) -> None:
    app_logger = logging.getLogger("schema_units_app")
    app_logger.setLevel(logging.INFO)
    handler = logging.NullHandler()
    app_logger.addHandler(handler)
    root = logging.getLogger()
    root_before = (root.level, list(root.handlers))
    ini = tmp_path / "logging.ini"
    shutil.copyfile(APPS / "migrate_stock" / "migrations" / "alembic.ini", ini)
    try:
        with schema.preserved_logging():
            logging.config.fileConfig(ini)
            assert app_logger.disabled

        assert (app_logger.disabled, app_logger.level, app_logger.handlers) == (False, logging.INFO, [handler])
        assert (root.level, root.handlers) == root_before
    finally:
        app_logger.removeHandler(handler)
        app_logger.setLevel(logging.NOTSET)


def test_a_failed_upgrade_is_an_error_pointing_at_the_captured_log(tmp_path: Path) -> None:
    folder = migrations_in(tmp_path / "migrations")
    for revision in ("0002", "0003"):  # two heads: alembic refuses to upgrade to "head"
        (folder / "versions" / f"{revision}_branch.py").write_text(
            f'revision = "{revision}"\ndown_revision = "0001"\n\n\ndef upgrade():\n    pass\n')
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test_main.sqlite'}"
    db = SQLAlchemy(app)

    with pytest.raises(RuntimeError, match=r"Flask-Migrate's upgrade of .*migrations failed \(exit 1\); "
                                           r"its error is in the captured log"):
        schema.build(app, folder)

    with app.app_context():
        db.engine.dispose()
