"""Journeys on a browser served by ``playwright run-server`` (a container, a grid) instead of a local one.

The endpoint comes from env ``FLASK_HARNESS_BROWSER_ENDPOINT``, else ``connect_endpoint`` in
``playwright.config.py``. pytest-playwright connects when its ``connect_options`` fixture says
so; this module overrides that fixture. The server's machine owns the browser binary and its
flags: only headless and slow motion travel with the connection (run-server refuses others).
Registered with the browser layer, after it.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from flask_harness.config import playwright_config
from flask_harness.config.playwright_config import PlaywrightSettings

ENDPOINT_ENV = "FLASK_HARNESS_BROWSER_ENDPOINT"
SAFE_LAUNCH_OPTIONS = ("headless", "slow_mo", "timeout")


def endpoint(settings: PlaywrightSettings) -> str | None:
    value = os.environ.get(ENDPOINT_ENV) or settings.connect_endpoint
    if value and not value.startswith(("ws://", "wss://")):
        raise pytest.UsageError(f"The browser endpoint must be a ws:// or wss:// URL, got {value!r} "
                                f"(from {ENDPOINT_ENV if os.environ.get(ENDPOINT_ENV) else 'connect_endpoint'}).")
    return value or None


@pytest.fixture(scope="session")
def connect_options(playwright_settings: PlaywrightSettings) -> dict[str, Any] | None:
    """``{"endpoint": …}`` when a remote browser is set, so pytest-playwright connects instead of launching."""
    url = endpoint(playwright_settings)
    return {"endpoint": url, "timeout": 30_000} if url else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any],
                             connect_options: dict[str, Any] | None) -> dict[str, Any]:
    """With a remote browser, only the options run-server accepts from a client."""
    if connect_options is None:
        return browser_type_launch_args
    return {key: value for key, value in browser_type_launch_args.items() if key in SAFE_LAUNCH_OPTIONS}


def pytest_configure(config: pytest.Config) -> None:
    """A malformed endpoint fails the run before any test (registered after the browser layer's)."""
    endpoint(playwright_config.of(config))


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say when journeys run on a remote browser, and which."""
    url = endpoint(playwright_config.of(config))
    return f"flask-harness: browser served by {url}" if url else None
