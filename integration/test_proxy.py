"""Behind a reverse proxy: PROXY_FIX_X_FOR makes the client's address the forwarded one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request

import webapp
from webapp.extensions import db as sqla

pytestmark = pytest.mark.integration

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


@pytest.fixture
def app_behind(tmp_path: Path) -> Iterator[callable]:
    """Build an app with the given proxy settings and a route that echoes what it sees of the client."""
    built: list[Flask] = []

    def build(**settings: int) -> Flask:
        app = webapp.create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path),
                                 **settings})

        @app.get("/client")
        def client_seen():
            return {"address": request.remote_addr, "scheme": request.scheme}

        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            for engine in sqla.engines.values():
                engine.dispose()


def test_without_proxy_fix_forwarded_headers_are_ignored(app_behind) -> None:
    response = app_behind().test_client().get("/client", headers=FORWARDED)

    assert response.get_json() == {"address": "127.0.0.1", "scheme": "http"}


def test_proxy_fix_x_for_takes_the_client_address_from_the_proxy(app_behind) -> None:
    response = app_behind(PROXY_FIX_X_FOR=1).test_client().get("/client", headers=FORWARDED)

    assert response.get_json()["address"] == "203.0.113.7"


def test_proxy_fix_x_proto_takes_the_scheme_from_the_proxy(app_behind) -> None:
    response = app_behind(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1).test_client().get("/client", headers=FORWARDED)

    assert response.get_json()["scheme"] == "https"
