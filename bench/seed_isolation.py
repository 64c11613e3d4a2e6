"""The seed tutorial's isolation, for comparison: ``drop_all``/``create_all`` around every test.

Loaded with ``-p bench.seed_isolation``; it overrides the harness's ``db`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from harness.appfactory import sqlalchemy_of
from harness.cleanup import empty_folder


class SeedIsolation:
    """Registered after the harness, so that its ``db`` fixture overrides the harness's."""

    @pytest.fixture
    def db(self, app: Flask, upload_root: Path) -> Iterator[SQLAlchemy]:
        """A database rebuilt for every test, as the seed's ``db`` fixture does."""
        yield from rebuilt_database(app, upload_root)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(SeedIsolation(), "bench-seed-isolation")


def rebuilt_database(app: Flask, upload_root: Path) -> Iterator[SQLAlchemy]:
    """drop_all, create_all, the test, drop_all."""
    ext = sqlalchemy_of(app)
    context = app.app_context()
    context.push()
    ext.drop_all()
    ext.create_all()
    try:
        yield ext
    finally:
        ext.session.remove()
        ext.drop_all()
        context.pop()
        empty_folder(upload_root)
