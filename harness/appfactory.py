"""Building the app under test from the factory named in the settings."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy


def load_factory(path: str) -> Any:
    """Import ``package.module:callable``; a wrong path is a usage error naming it."""
    module_name, _, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        raise pytest.UsageError(f"Cannot load the Flask app factory {path!r}: {exc}") from exc


def build_app(factory_path: str, config: Mapping[str, Any]) -> Flask:
    """Call the factory with config overrides; it must return a Flask app using Flask-SQLAlchemy."""
    app = load_factory(factory_path)(dict(config))
    if not isinstance(app, Flask):
        raise pytest.UsageError(f"{factory_path} returned {type(app).__name__}, not a Flask app.")
    sqlalchemy_of(app)
    return app


def sqlalchemy_of(app: Flask) -> SQLAlchemy:
    """The app's Flask-SQLAlchemy extension."""
    ext = app.extensions.get("sqlalchemy")
    if ext is None:
        raise pytest.UsageError("The app under test does not use Flask-SQLAlchemy (db.init_app).")
    return ext


def build_schema(factory_path: str, url: str, config: Mapping[str, Any]) -> None:
    """Create the schema in an empty database: Flask-Migrate's upgrade, else ``create_all``."""
    app = build_app(factory_path, {**config, "SQLALCHEMY_DATABASE_URI": url})
    db = sqlalchemy_of(app)
    with app.app_context():
        try:
            if "migrate" in app.extensions:
                from flask_migrate import upgrade

                upgrade()
            else:
                db.create_all()
        finally:
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
