"""The pytest plugin (entry point ``flask_harness``): registers the wings, the markers, the header line.

Each wing's plugin modules hold its fixtures and hooks. The browser wing (and the assertions that
need a page) is registered only when pytest-playwright is loaded, and after it, so that its
fixtures win however the plugins were loaded. ``docs/architecture.md`` draws the map.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest

from flask_harness import hookspecs
from flask_harness.config import settings as harness_settings

# The wings' plugin modules, in registration order (see ``pytest_addhooks``). The harness's one
# report wrapper is ``run.attempts``; every other wing adds to a report through the
# ``pytest_flask_harness_report`` hook (see ``hookspecs``).
WING_PLUGINS = (
    "flask_harness.config.options",
    # trace_policy before attempts, which imports it: a plugin module imported before its turn is
    # not assert-rewritten (a PytestAssertRewriteWarning).
    "flask_harness.run.trace_policy", "flask_harness.run.attempts", "flask_harness.run.steps",
    "flask_harness.run.results", "flask_harness.run.retries", "flask_harness.run.report", "flask_harness.run.shards",
    "flask_harness.db.fixtures", "flask_harness.app.fixtures", "flask_harness.live.fixtures",
    "flask_harness.routes.fixtures", "flask_harness.compat.pytest_flask", "flask_harness.mail.fixtures",
    "flask_harness.clock.fixtures",
)
# Registered when pytest-playwright is loaded, after it: the browser, then the assertions on a page.
BROWSER_PLUGINS = ("flask_harness.browser.fixtures", "flask_harness.browser.remote",
                   "flask_harness.assertions.screenshots", "flask_harness.assertions.aria_snapshots",
                   "flask_harness.assertions.accessibility")

MARKERS = (
    "live_commit: the live server commits for real; tables are emptied after the test",
    "reset_sequences: the test starts with the id counters of a fresh database (PostgreSQL, MariaDB)",
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


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Add the harness's hooks, then register the wings (when this module is registered).

    Not through a ``pytest_plugins`` list: pytest 9 searches every installed distribution's entry
    points for each name in it, in every process and xdist worker (4.4 ms of CPU per wing with 82
    distributions installed; more in a bigger environment).
    ``import_plugin`` marks each module for assert rewriting and imports it, as that list would.
    """
    pluginmanager.add_hookspecs(hookspecs)
    for name in WING_PLUGINS:
        pluginmanager.import_plugin(name)


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
    if config.pluginmanager.has_plugin("playwright") and not config.pluginmanager.has_plugin(BROWSER_PLUGINS[0]):
        for name in BROWSER_PLUGINS:
            config.pluginmanager.register(importlib.import_module(name), name)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id, so they agree on database names."""
    node.workerinput[harness_settings.RUN_ID_KEY] = harness_settings.of(node.config).run_id


def pytest_report_header(config: pytest.Config) -> list[str]:
    """One line: which app, which database server and driver (and why), how the schema is built."""
    from urllib.parse import urlsplit

    from flask_harness.app.fixtures import defined_app_factory
    from flask_harness.db import schema
    from flask_harness.db.drivers import driver_scheme

    settings = harness_settings.of(config)
    factory_file = defined_app_factory(config)
    if settings.flask_app:
        app = f"app {settings.flask_app}"
    elif factory_file:
        app = f"app from the flask_app_factory fixture in {factory_file}"
    else:
        app = "no app set (flask_app)"
    scheme = driver_scheme(settings.db_url)
    if settings.db_url.startswith("sqlite"):
        server = f"SQLite files ({scheme}) in {settings.run_folder}"
    else:
        url = urlsplit(settings.db_url)
        server = f"{scheme}://{url.username + '@' if url.username else ''}{url.hostname}:{url.port or ''}"
    return [f"flask-harness: {app}; test databases on "
            f"{server} (from {settings.db_url_source}); schema from {schema.describe(settings)}"]

