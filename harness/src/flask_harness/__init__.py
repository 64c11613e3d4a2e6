"""pytest-flask-harness: test a Flask + Flask-SQLAlchemy app at every layer, in parallel.

Per-worker test databases (SQLite, PostgreSQL, MySQL/MariaDB), each test in a rolled-back
transaction shared with a live server thread, and Playwright pages reused safely. Installed with
pip, it is a pytest plugin (entry point ``flask_harness``); the app is named by one ini setting,
``flask_app``. This module is its public API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "AuthorizationMatrix",
    "ExpectAccessible",
    "ExpectAriaSnapshot",
    "ExpectScreenshot",
    "FrozenClock",
    "HarnessSettings",
    "HostileSweep",
    "LiveServer",
    "LiveServerError",
    "LiveTest",
    "LoginAs",
    "MatrixResult",
    "PlaywrightSettings",
    "ServerError",
    "SharedConnection",
    "SweepResult",
    "__version__",
    "build_app",
    "build_schema",
    "database_backend",
    "factory_from_setting",
    "load_playwright_settings",
    "step",
]

if TYPE_CHECKING:
    from flask_harness.accessibility import ExpectAccessible
    from flask_harness.app_loading import build_app, factory_from_setting
    from flask_harness.aria_snapshots import ExpectAriaSnapshot
    from flask_harness.authorization_matrix import AuthorizationMatrix, MatrixResult
    from flask_harness.browser_layer import LoginAs
    from flask_harness.databases import backend_for as database_backend
    from flask_harness.hostile_sweep import HostileSweep, SweepResult
    from flask_harness.isolation import SharedConnection
    from flask_harness.live_layer import LiveTest
    from flask_harness.live_server import LiveServer, LiveServerError, ServerError
    from flask_harness.playwright_settings import PlaywrightSettings
    from flask_harness.playwright_settings import load_settings as load_playwright_settings
    from flask_harness.schema import build as build_schema
    from flask_harness.screenshots import ExpectScreenshot, FrozenClock
    from flask_harness.settings import HarnessSettings
    from flask_harness.steps import step

_WHERE = {
    "build_app": ("flask_harness.app_loading", "build_app"),
    "factory_from_setting": ("flask_harness.app_loading", "factory_from_setting"),
    "build_schema": ("flask_harness.schema", "build"),
    "database_backend": ("flask_harness.databases", "backend_for"),
    "HarnessSettings": ("flask_harness.settings", "HarnessSettings"),
    "LiveServer": ("flask_harness.live_server", "LiveServer"),
    "LiveServerError": ("flask_harness.live_server", "LiveServerError"),
    "ServerError": ("flask_harness.live_server", "ServerError"),
    "LiveTest": ("flask_harness.live_layer", "LiveTest"),
    "LoginAs": ("flask_harness.browser_layer", "LoginAs"),
    "PlaywrightSettings": ("flask_harness.playwright_settings", "PlaywrightSettings"),
    "load_playwright_settings": ("flask_harness.playwright_settings", "load_settings"),
    "SharedConnection": ("flask_harness.isolation", "SharedConnection"),
    "ExpectScreenshot": ("flask_harness.screenshots", "ExpectScreenshot"),
    "FrozenClock": ("flask_harness.screenshots", "FrozenClock"),
    "ExpectAriaSnapshot": ("flask_harness.aria_snapshots", "ExpectAriaSnapshot"),
    "ExpectAccessible": ("flask_harness.accessibility", "ExpectAccessible"),
    "HostileSweep": ("flask_harness.hostile_sweep", "HostileSweep"),
    "SweepResult": ("flask_harness.hostile_sweep", "SweepResult"),
    "AuthorizationMatrix": ("flask_harness.authorization_matrix", "AuthorizationMatrix"),
    "MatrixResult": ("flask_harness.authorization_matrix", "MatrixResult"),
    "step": ("flask_harness.steps", "step"),
}


def __getattr__(name: str) -> Any:
    """Import on first use: ``import flask_harness`` loads neither Flask, SQLAlchemy nor Playwright."""
    if name not in _WHERE:
        raise AttributeError(f"module 'flask_harness' has no attribute {name!r}")
    import importlib

    module, attribute = _WHERE[name]
    return getattr(importlib.import_module(module), attribute)
