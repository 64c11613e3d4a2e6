"""The pytest hooks of the Flask harness; its fixtures live in harness.fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from harness import settings as harness_settings
from harness.databases import backend_for
from harness.settings import shared_root

pytest_plugins = ["harness.fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    harness_settings.add_options(parser)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give every xdist worker the controller's run id, so they agree on database names."""
    node.workerinput[harness_settings.RUN_ID_KEY] = harness_settings.run_id(node.config)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On the controller (or a run without xdist): drop the template, or say what was kept."""
    config = session.config
    if hasattr(config, "workerinput") or not hasattr(config, "_tmp_path_factory"):
        return
    try:
        settings = harness_settings.load(config)
    except pytest.UsageError:
        return
    root = shared_root(config._tmp_path_factory, "main")  # type: ignore[attr-defined]
    backend = backend_for(settings.database_url, root, settings.run_id)
    if settings.keep_db:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"flask-harness: kept test databases like {backend.describe('gw0')}")
        return
    if not settings.database_url.startswith("sqlite"):
        backend.drop_template()
