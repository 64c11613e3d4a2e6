"""The pytest plugin (entry point ``flask_harness``): options, markers, the header line, and the layers.

Each layer is a plugin module holding its fixtures and its hooks: ``database_layer``,
``live_layer``, and ``browser_layer``, which is registered only when pytest-playwright is loaded,
and after it, so that its fixtures win.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest

from flask_harness import hookspecs
from flask_harness.config import settings as harness_settings

pytest_plugins = ["flask_harness.app.fixtures", "flask_harness.live.fixtures", "flask_harness.routes.fixtures",
                  "flask_harness.run.steps", "flask_harness.run.attempts", "flask_harness.run.results",
                  "flask_harness.run.retries", "flask_harness.run.report", "flask_harness.run.shards",
                  "flask_harness.live.address"]
# Screenshot, ARIA snapshot and axe-core assertions: registered with the browser layer.
ASSERTION_PLUGINS = ("flask_harness.assertions.screenshots", "flask_harness.assertions.aria_snapshots", "flask_harness.assertions.accessibility")

MARKERS = (
    "live_commit: the live server commits for real; tables are emptied after the test",
    "expect_server_error: the test expects the live server to answer 5xx or raise; the app's own "
    "error pages render",
)


# The entry point's name, and the module's (``-p flask_harness.plugin``, ``pytest_plugins``).
NAMES = ("flask_harness", "flask_harness.plugin")


def pytest_plugin_registered(plugin: object, plugin_name: str, manager: pytest.PytestPluginManager) -> None:
    """Loaded under one name, the plugin blocks the other: pluggy refuses a module registered twice."""
    if plugin is sys.modules[__name__]:
        for name in NAMES:
            if name != plugin_name and not manager.is_blocked(name):
                manager.set_blocked(name)


def pytest_addoption(parser: pytest.Parser) -> None:
    from flask_harness.assertions import baselines as snapshot_files

    harness_settings.add_options(parser)
    snapshot_files.add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hookspecs)


def _point_app_at_test_database(settings: harness_settings.HarnessSettings) -> None:
    """Set the environment variable the app reads its database URL from (flask_harness_app_db_env)."""
    import os

    if settings.app_db_env:
        from flask_harness.db.backends import backend_for

        backend = backend_for(settings.db_url, settings.run_folder, settings.run_id)
        os.environ[settings.app_db_env] = backend.url_for(settings.worker)
        if settings.worker == "main":  # this process's xdist workers, if any, will share the run id
            os.environ[harness_settings.RUN_ID_ENV] = settings.run_id


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """Before conftest.py files import the app: config classes often read the URL at import time."""
    _point_app_at_test_database(harness_settings.load(early_config))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Resolve the settings; point the app's database variable at this worker's test database."""
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    settings = harness_settings.load(config)
    config.stash[harness_settings.SETTINGS_KEY] = settings
    _point_app_at_test_database(settings)
    if config.pluginmanager.has_plugin("playwright") and not config.pluginmanager.has_plugin(
            "flask_harness.browser.fixtures"):
        from flask_harness.browser import attempts as browser_attempts
        from flask_harness.browser import fixtures as browser_layer
        from flask_harness.browser import remote as remote_browser

        config.pluginmanager.register(browser_layer, "flask_harness.browser.fixtures")
        for name in ASSERTION_PLUGINS:
            config.pluginmanager.register(importlib.import_module(name), name)
        for module in (browser_attempts, remote_browser):
            config.pluginmanager.register(module, module.__name__)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id, so they agree on database names."""
    node.workerinput[harness_settings.RUN_ID_KEY] = harness_settings.of(node.config).run_id


def pytest_report_header(config: pytest.Config) -> list[str]:
    """One line: which app, which database server (and why), how the schema is built."""
    from urllib.parse import urlsplit

    from flask_harness.db import schema

    settings = harness_settings.of(config)
    if settings.db_url.startswith("sqlite"):
        server = f"SQLite files in {settings.run_folder}"
    else:
        url = urlsplit(settings.db_url)
        server = f"{url.scheme}://{url.username + '@' if url.username else ''}{url.hostname}:{url.port or ''}"
    return [f"flask-harness: app {settings.flask_app or '(flask_app_factory fixture)'}; test databases on "
            f"{server} (from {settings.db_url_source}); schema from {schema.describe(settings)}"]
