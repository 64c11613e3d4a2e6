"""Flask-Testing's ``TestCase`` and ``LiveServerTestCase``, on the harness's database and rollback.

Flask-Testing (unmaintained since 2020) builds an app per test from ``create_app()`` and leaves
the database to ``setUp``/``tearDown`` (``db.create_all()`` … ``db.drop_all()``). These bases keep
its attributes and assertions, but the app is the harness's (built once per worker from
``flask_app``) and every test runs in the rolled-back transaction of the ``db`` fixture. A suite
changes its import, ``from flask_harness.compat.flask_testing import TestCase``, and drops the
schema lines from ``setUp``/``tearDown``; ``docs/migrating.md`` has the whole mapping.
"""

from __future__ import annotations

import unittest
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import pytest

if TYPE_CHECKING:
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy


class TestCase(unittest.TestCase):
    """Flask-Testing's ``TestCase``: ``self.app``, ``self.client``, a request context, its assertions."""

    app: Flask
    db: SQLAlchemy
    client: Any
    templates: list[tuple[Any, dict[str, Any]]]
    flashed_messages: list[tuple[str, str]]

    @pytest.fixture(autouse=True)
    def _flask_harness(self, flask_harness_app: Flask, flask_harness_db: SQLAlchemy) -> Iterator[None]:
        from flask import message_flashed, template_rendered

        self.app, self.db = flask_harness_app, flask_harness_db
        self.client = self.app.test_client()
        self.templates, self.flashed_messages = [], []

        def on_render(sender: Flask, template: Any, context: dict[str, Any], **_extra: Any) -> None:
            self.templates.append((template, context))

        def on_flash(sender: Flask, message: str, category: str, **_extra: Any) -> None:
            self.flashed_messages.append((message, category))

        context = self.app.test_request_context()  # as Flask-Testing does: url_for gives paths
        context.push()
        with template_rendered.connected_to(on_render, self.app), message_flashed.connected_to(on_flash, self.app):
            try:
                yield
            finally:
                context.pop()

    # --- Flask-Testing's assertions ---------------------------------------------------------------

    def assertStatus(self, response: Any, status_code: int, message: str | None = None) -> None:
        self.assertEqual(response.status_code, status_code, message or
                         f"HTTP status {status_code} expected, got {response.status_code}")

    assert_status = assertStatus

    def assert200(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 200, message)

    def assert400(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 400, message)

    def assert401(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 401, message)

    def assert403(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 403, message)

    def assert404(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 404, message)

    def assert405(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 405, message)

    def assert500(self, response: Any, message: str | None = None) -> None:
        self.assertStatus(response, 500, message)

    assert_200, assert_400, assert_401, assert_403 = assert200, assert400, assert401, assert403
    assert_404, assert_405, assert_500 = assert404, assert405, assert500

    def assertRedirects(self, response: Any, location: str, message: str | None = None) -> None:
        """The response redirects (301, 302, 303, 305, 307, 308) to ``location`` (a path or a URL)."""
        self.assertIn(response.status_code, (301, 302, 303, 305, 307, 308),
                      message or f"HTTP redirect expected, got {response.status_code}")
        got, expected = urlsplit(urljoin("http://localhost/", response.location)), urlsplit(
            urljoin("http://localhost/", location))
        self.assertEqual((got.path, got.query), (expected.path, expected.query),
                         message or f"redirect to {location} expected, got {response.location}")

    assert_redirects = assertRedirects

    def assertTemplateUsed(self, name: str, tmpl_name_attribute: str = "name") -> None:
        used = [getattr(template, tmpl_name_attribute) for template, _ in self.templates]
        self.assertIn(name, used, f"template {name} not used; used: {used}")

    assert_template_used = assertTemplateUsed

    def get_context_variable(self, name: str) -> Any:
        for _, context in reversed(self.templates):
            if name in context:
                return context[name]
        raise AssertionError(f"context variable {name} does not exist")

    def assertContext(self, name: str, value: Any, message: str | None = None) -> None:
        self.assertEqual(self.get_context_variable(name), value, message)

    assert_context = assertContext

    def assertMessageFlashed(self, message: str, category: str = "message") -> None:
        self.assertIn((message, category), self.flashed_messages,
                      f"message {message!r} ({category}) not flashed; flashed: {self.flashed_messages}")

    assert_message_flashed = assertMessageFlashed


class LiveServerTestCase(TestCase):
    """Flask-Testing's ``LiveServerTestCase``: ``get_server_url()`` is the harness's live server."""

    @pytest.fixture(autouse=True)
    def _flask_harness_live(self, _flask_harness: None, live: Any) -> None:
        self.live = live

    def get_server_url(self) -> str:
        return str(self.live.url)
