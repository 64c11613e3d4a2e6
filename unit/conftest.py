"""Fixtures of the unit layer: a bare Flask app for services that read ``current_app``.

Nothing here builds ``webapp.create_app`` or touches a database; the harness's ``app``, ``db``
and ``client`` fixtures belong to the integration layer and are not used by unit tests.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import flask
import pytest
from flask_jwt_extended import JWTManager

pytestmark = pytest.mark.unit

UNIT_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "unit-secret-key-long-enough-for-hs256-signing",
    "JWT_SECRET_KEY": "unit-jwt-secret-key-long-enough-for-hs256-signing",
    "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "MAIL_BACKEND": "outbox",
    "MAIL_DEFAULT_SENDER": "noreply@webapp.test",
    "MAIL_SERVER": "mail.webapp.test",
    "MAIL_PORT": 2525,
    "WEATHER_API_URL": "http://weather.test/v1/current",
    "WEATHER_API_TIMEOUT": 3,
}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if a unit test tries to open a connection instead of using a mock."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("unit tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def unit_app() -> flask.Flask:
    """A minimal Flask app carrying only the settings the services read."""
    app = flask.Flask(__name__)
    app.config.update(UNIT_CONFIG)
    JWTManager(app)
    return app


@pytest.fixture
def app_context(unit_app: flask.Flask) -> Iterator[flask.Flask]:
    """Run the test inside ``unit_app``'s application context; yields the app."""
    with unit_app.app_context():
        yield unit_app
