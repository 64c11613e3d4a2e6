"""The fixtures of ``bench.playwright_defaults``: no page reuse, the database rebuilt per test."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import flask_harness
import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from bench.seed_isolation import rebuilt_database


@pytest.fixture(scope="session")
def playwright_settings(pytestconfig: pytest.Config) -> flask_harness.PlaywrightSettings:
    """The project's settings with page reuse off: a new context and page per test."""
    return dataclasses.replace(flask_harness.load_playwright_settings(pytestconfig.rootpath), reuse_page=False)


@pytest.fixture
def db(app: Flask, upload_root: Path) -> Iterator[SQLAlchemy]:
    """The database rebuilt around every test, as the seed tutorial does."""
    yield from rebuilt_database(app, upload_root)
