"""pytest-playwright's defaults, for comparison: a new context and page per test, and the database
rebuilt per test (``-p bench.playwright_defaults``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from bench.seed_isolation import rebuilt_database
from harness.e2e_config import E2EConfig, load_config


class PlaywrightDefaults:
    @pytest.fixture(scope="session")
    def e2e_config(self, pytestconfig: pytest.Config) -> E2EConfig:
        return dataclasses.replace(load_config(pytestconfig.rootpath), reuse_page=False)

    @pytest.fixture
    def db(self, app: Flask, upload_root: Path) -> Iterator[SQLAlchemy]:
        yield from rebuilt_database(app, upload_root)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(PlaywrightDefaults(), "bench-playwright-defaults")
