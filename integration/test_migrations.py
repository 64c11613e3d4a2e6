"""The models and the Alembic migrations describe the same schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

import webapp
from webapp.extensions import db as sqla

pytestmark = pytest.mark.integration


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Flask]:
    """A new app on an empty SQLite file, with its app context pushed for the test."""
    app = webapp.create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrations.sqlite'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    })
    with app.app_context():
        yield app
        sqla.session.remove()
        for engine in sqla.engines.values():
            engine.dispose()


def schema_differences() -> list:
    """What autogenerate would write to make the database match the models."""
    with sqla.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), sqla.metadata)


def table_names() -> set[str]:
    with sqla.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_migrations_have_a_single_head(fresh_app):
    config = current_app.extensions["migrate"].migrate.get_config()

    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_builds_the_schema_of_the_models(fresh_app):
    upgrade()

    assert schema_differences() == []


def test_downgrade_to_base_leaves_only_alembic_version(fresh_app):
    upgrade()

    downgrade(revision="base")

    assert table_names() == {"alembic_version"}


def test_upgrade_after_downgrade_rebuilds_the_schema_of_the_models(fresh_app):
    upgrade()
    downgrade(revision="base")

    upgrade()

    assert schema_differences() == []


def test_harness_test_database_matches_the_models(db):
    """The database the suite runs on (SQLite or PostgreSQL) was built by the same migrations."""
    connection = db.session.connection()

    assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
