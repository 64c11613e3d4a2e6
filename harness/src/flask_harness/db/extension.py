"""The app's Flask-SQLAlchemy extension, the one thing every database module needs from the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy


def sqlalchemy_of(app: Flask) -> SQLAlchemy:
    """The app's Flask-SQLAlchemy extension."""
    ext = app.extensions.get("sqlalchemy")
    if ext is None:
        raise pytest.UsageError("The app under test does not use Flask-SQLAlchemy (db.init_app).")
    return ext  # type: ignore[no-any-return]
