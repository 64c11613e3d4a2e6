"""The pytest plugin (entry point ``flask_harness``): options, markers, the header line, and the layers.

Each layer is a plugin module holding its fixtures and its hooks: ``database_layer``,
``live_layer``, and ``browser_layer``, which is registered only when pytest-playwright is loaded,
and after it, so that its fixtures win.
"""

from __future__ import annotations

from typing import Any

import pytest

from flask_harness import hooks
from flask_harness import settings as harness_settings

pytest_plugins = ["flask_harness.database_layer", "flask_harness.live_layer"]

MARKERS = (
    "live_commit: the live server commits for real; tables are emptied after the test",
    "expect_server_error: the test expects the live server to answer 5xx or raise; the app's own "
    "error pages render",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    harness_settings.add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hooks)


def _point_app_at_test_database(settings: harness_settings.HarnessSettings) -> None:
    """Set the environment variable the app reads its database URL from (flask_harness_app_db_env)."""
    import os

    if settings.app_db_env:
        from flask_harness.databases import backend_for

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
            "flask_harness.browser_layer"):
        from flask_harness import browser_layer

        config.pluginmanager.register(browser_layer, "flask_harness.browser_layer")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id, so they agree on database names."""
    node.workerinput[harness_settings.RUN_ID_KEY] = harness_settings.of(node.config).run_id


def pytest_report_header(config: pytest.Config) -> list[str]:
    """One line: which app, which database server (and why), how the schema is built."""
    from urllib.parse import urlsplit

    from flask_harness import schema

    settings = harness_settings.of(config)
    if settings.db_url.startswith("sqlite"):
        server = f"SQLite files in {settings.run_folder}"
    else:
        url = urlsplit(settings.db_url)
        server = f"{url.scheme}://{url.username + '@' if url.username else ''}{url.hostname}:{url.port or ''}"
    return [f"flask-harness: app {settings.flask_app or '(flask_app_factory fixture)'}; test databases on "
            f"{server} (from {settings.db_url_source}); schema from {schema.describe(settings)}"]
