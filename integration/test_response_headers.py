"""Caching, transport and server headers: nothing personal is cached, HTTPS is pinned, no version banner."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import webapp
from webapp.config import ENVIRONMENT

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("path", ["/dashboard", "/profile", "/settings", "/upload", "/posts/new", "/"])
def test_pages_for_a_logged_in_user_are_not_stored(auth_client: FlaskClient, path: str) -> None:
    response = auth_client.get(path)

    assert response.headers["Cache-Control"] == "no-store"


def test_token_response_is_not_stored(client: FlaskClient, sample_user) -> None:
    response = client.post("/api/auth/login", json={"username": "testuser", "password": "password123"})

    assert response.headers["Cache-Control"] == "no-store"


def test_refreshed_token_response_is_not_stored(client: FlaskClient, sample_user) -> None:
    tokens = client.post("/api/auth/login", json={"username": "testuser", "password": "password123"}).get_json()

    response = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert response.headers["Cache-Control"] == "no-store"


def test_api_answer_to_a_token_holder_is_not_stored(client: FlaskClient, auth_headers: dict) -> None:
    response = client.get("/api/users/me", headers=auth_headers)

    assert response.headers["Cache-Control"] == "no-store"


def test_public_page_for_a_visitor_may_be_cached(client: FlaskClient, db) -> None:
    response = client.get("/about")

    assert "Cache-Control" not in response.headers


def test_testing_app_does_not_pin_https(client: FlaskClient) -> None:
    response = client.get("/about")

    assert "Strict-Transport-Security" not in response.headers


@pytest.fixture
def production_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Flask:
    """The app under ProductionConfig, with only the secrets production requires."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    return webapp.create_app("webapp.config.ProductionConfig", instance_path=str(tmp_path))


def test_production_app_pins_https(production_app: Flask) -> None:
    response = production_app.test_client().get("/about", base_url="https://webapp.example")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_app_sends_no_hsts_over_plain_http(production_app: Flask) -> None:
    """RFC 6797 7.2: only over a secure transport (behind a TLS proxy, PROXY_FIX_X_PROTO makes it one)."""
    response = production_app.test_client().get("/about", base_url="http://webapp.example")

    assert "Strict-Transport-Security" not in response.headers


def test_development_server_does_not_announce_its_version(client: FlaskClient) -> None:
    response = client.get("/about", environ_base={"SERVER_SOFTWARE": "Werkzeug/3.1.9"})

    assert response.headers["Server"] == "webapp"
