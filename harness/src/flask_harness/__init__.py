"""pytest-flask-harness: test a Flask + Flask-SQLAlchemy app at every layer, in parallel.

Per-worker test databases (SQLite, PostgreSQL, MySQL/MariaDB), each test in a rolled-back
transaction shared with a live server thread, and Playwright pages reused safely. Installed with
pip, it is a pytest plugin (entry point ``flask_harness``); the app is named by one ini setting,
``flask_app``. This module is its public API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.4.0"

# The public API: each name, and the module and attribute it is imported from on first use.
_WHERE = {
    "build_app": ("flask_harness.app.loading", "build_app"),
    "factory_from_setting": ("flask_harness.app.loading", "factory_from_setting"),
    "Clock": ("flask_harness.clock.fixtures", "Clock"),
    "ExpectAccessible": ("flask_harness.assertions.accessibility", "ExpectAccessible"),
    "ExpectAriaSnapshot": ("flask_harness.assertions.aria_snapshots", "ExpectAriaSnapshot"),
    "ExpectScreenshot": ("flask_harness.assertions.screenshots", "ExpectScreenshot"),
    "FrozenClock": ("flask_harness.assertions.screenshots", "FrozenClock"),
    "LoginAs": ("flask_harness.browser.fixtures", "LoginAs"),
    "PageAs": ("flask_harness.browser.fixtures", "PageAs"),
    "PlaywrightSettings": ("flask_harness.config.playwright_config", "PlaywrightSettings"),
    "load_playwright_settings": ("flask_harness.config.playwright_config", "load_settings"),
    "HarnessSettings": ("flask_harness.config.settings", "HarnessSettings"),
    "database_backend": ("flask_harness.db.backends", "backend_for"),
    "SharedConnection": ("flask_harness.db.isolation", "SharedConnection"),
    "build_schema": ("flask_harness.db.schema", "build"),
    "LiveTest": ("flask_harness.live.fixtures", "LiveTest"),
    "LiveServer": ("flask_harness.live.server", "LiveServer"),
    "LiveServerError": ("flask_harness.live.server", "LiveServerError"),
    "ServerError": ("flask_harness.live.server", "ServerError"),
    "MailOutbox": ("flask_harness.mail.outbox", "MailOutbox"),
    "SentMail": ("flask_harness.mail.outbox", "SentMail"),
    "AuthorizationMatrix": ("flask_harness.routes.matrix", "AuthorizationMatrix"),
    "MatrixResult": ("flask_harness.routes.matrix", "MatrixResult"),
    "HostileSweep": ("flask_harness.routes.sweep", "HostileSweep"),
    "SweepResult": ("flask_harness.routes.sweep", "SweepResult"),
    "step": ("flask_harness.run.steps", "step"),
}
__all__ = ["__version__", *sorted(_WHERE)]

# For type checkers, the same names (kept in step with _WHERE by the harness's tests).
if TYPE_CHECKING:  # ``name as name``: re-exported for type checkers
    from flask_harness.app.loading import build_app as build_app
    from flask_harness.app.loading import factory_from_setting as factory_from_setting
    from flask_harness.assertions.accessibility import ExpectAccessible as ExpectAccessible
    from flask_harness.assertions.aria_snapshots import ExpectAriaSnapshot as ExpectAriaSnapshot
    from flask_harness.assertions.screenshots import ExpectScreenshot as ExpectScreenshot
    from flask_harness.assertions.screenshots import FrozenClock as FrozenClock
    from flask_harness.browser.fixtures import LoginAs as LoginAs
    from flask_harness.browser.fixtures import PageAs as PageAs
    from flask_harness.clock.fixtures import Clock as Clock
    from flask_harness.config.playwright_config import PlaywrightSettings as PlaywrightSettings
    from flask_harness.config.playwright_config import load_settings as load_playwright_settings  # noqa: F401  (renamed: re-exported by _WHERE)
    from flask_harness.config.settings import HarnessSettings as HarnessSettings
    from flask_harness.db.backends import backend_for as database_backend  # noqa: F401  (renamed: re-exported by _WHERE)
    from flask_harness.db.isolation import SharedConnection as SharedConnection
    from flask_harness.db.schema import build as build_schema  # noqa: F401  (renamed: re-exported by _WHERE)
    from flask_harness.live.fixtures import LiveTest as LiveTest
    from flask_harness.live.server import LiveServer as LiveServer
    from flask_harness.live.server import LiveServerError as LiveServerError
    from flask_harness.live.server import ServerError as ServerError
    from flask_harness.mail.outbox import MailOutbox as MailOutbox
    from flask_harness.mail.outbox import SentMail as SentMail
    from flask_harness.routes.matrix import AuthorizationMatrix as AuthorizationMatrix
    from flask_harness.routes.matrix import MatrixResult as MatrixResult
    from flask_harness.routes.sweep import HostileSweep as HostileSweep
    from flask_harness.routes.sweep import SweepResult as SweepResult
    from flask_harness.run.steps import step as step


def __getattr__(name: str) -> Any:
    """Import on first use: ``import flask_harness`` loads neither Flask, SQLAlchemy nor Playwright."""
    if name not in _WHERE:
        raise AttributeError(f"module 'flask_harness' has no attribute {name!r}")
    import importlib

    module, attribute = _WHERE[name]
    return getattr(importlib.import_module(module), attribute)
