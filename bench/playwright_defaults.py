"""pytest-playwright's defaults, for comparison: a new context and page per test, and the database
rebuilt per test (``-p bench.playwright_defaults``).

The fixtures live in ``bench.playwright_defaults_fixtures``, registered at configure time, after
the harness's browser layer, so that they override its fixtures of the same names.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from bench import playwright_defaults_fixtures

    config.pluginmanager.register(playwright_defaults_fixtures, "bench-playwright-defaults")
