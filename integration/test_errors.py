"""Error answers (HTML pages, JSON under /api), security headers and the session cookie."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.exceptions import InternalServerError, NotFound

import webapp
from webapp.config import ENVIRONMENT
from webapp.extensions import db as sqla
from webapp.models import Post, User

pytestmark = pytest.mark.integration

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def security_headers_of(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in SECURITY_HEADERS}


# --- 404 ---------------------------------------------------------------------------------------


def test_404_returns_friendly_html_page(client):
    response = client.get("/this-does-not-exist")

    assert response.status_code == 404
    assert "<h1>Page Not Found</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "message"),
    [("/api/nonexistent", NotFound.description), ("/api/posts/99999", "Post 99999 does not exist.")],
    ids=["unknown-route", "unknown-post"],
)
def test_api_404_returns_json_error(client, db, path, message):
    response = client.get(path, headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.get_json() == {"error": "Not Found", "message": message}


# --- 405 ---------------------------------------------------------------------------------------


def allowed_methods(response) -> set[str]:
    return {method.strip() for method in response.headers["Allow"].split(",")}


def test_405_for_delete_on_login_lists_allowed_methods(client):
    response = client.delete("/login")

    assert response.status_code == 405
    assert allowed_methods(response) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "<h1>Method not allowed</h1>" in response.get_data(as_text=True)


def test_api_405_returns_json_error_with_allowed_methods(client):
    response = client.delete("/api/auth/login")

    assert response.status_code == 405
    assert response.get_json()["error"] == "Method Not Allowed"
    assert allowed_methods(response) == {"OPTIONS", "POST"}


# --- 400 ---------------------------------------------------------------------------------------


def test_api_malformed_json_returns_400_json_error(client, auth_headers):
    response = client.post("/api/posts", data="not json", headers=auth_headers)

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "Bad Request",
        "message": "Request body must be valid JSON with Content-Type: application/json.",
    }


# --- 500, on a fresh app that does not propagate exceptions ------------------------------------


@pytest.fixture
def production_like_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """A new app with TESTING off (error handlers answer), with routes that raise."""
    for name in ENVIRONMENT:  # with TESTING off the environment overrides config; stay hermetic
        monkeypatch.delenv(name, raising=False)
    app = webapp.create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": False, "UPLOAD_FOLDER": str(tmp_path)}
    )

    @app.route("/force-error")
    def force_error():
        raise RuntimeError("secret failure detail")

    @app.route("/api/force-error")
    def api_force_error():
        raise RuntimeError("secret failure detail")

    yield app
    with app.app_context():
        sqla.session.remove()
        for engine in sqla.engines.values():
            engine.dispose()


def test_500_returns_friendly_html_page_without_the_exception(production_like_app):
    response = production_like_app.test_client().get("/force-error")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert "secret failure detail" not in html


def test_api_500_returns_json_error(production_like_app):
    response = production_like_app.test_client().get("/api/force-error")

    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Internal Server Error",
        "message": InternalServerError.description,
    }


def test_500_page_after_a_failed_database_write_renders_for_a_logged_in_user(production_like_app):
    """The handler rolls the failed session back, so the page can still load the user for its navbar."""

    @production_like_app.route("/force-database-error")
    def force_database_error():
        sqla.session.add(Post(title="No author", content="x", author_id=None))
        sqla.session.flush()

    with production_like_app.app_context():
        sqla.create_all()
        user = User(username="writer", email="writer@example.com")
        user.set_password("password123")
        sqla.session.add(user)
        sqla.session.commit()
    client = production_like_app.test_client()
    client.post("/login", data={"username": "writer", "password": "password123"})

    response = client.get("/force-database-error")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert ">writer</a>" in html


# --- 413 ---------------------------------------------------------------------------------------


@pytest.fixture
def small_body_limit(app, monkeypatch) -> int:
    """A 1 KB request size limit for this test."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    return 1024


def test_413_for_upload_larger_than_limit_returns_friendly_html_page(auth_client, small_body_limit):
    data = {"file": (io.BytesIO(b"x" * (small_body_limit * 4)), "big.txt")}

    response = auth_client.post("/upload", data=data, content_type="multipart/form-data")

    assert response.status_code == 413
    assert "<h1>File too large</h1>" in response.get_data(as_text=True)


def test_api_413_returns_json_error(client, db, small_body_limit):
    body = {"username": "x" * (small_body_limit * 4), "password": "password123"}

    response = client.post("/api/auth/login", json=body)

    assert response.status_code == 413
    assert response.get_json() == {
        "error": "Request Entity Too Large",
        "message": "The upload is larger than the limit.",
    }


# --- 429 under /api ----------------------------------------------------------------------------


def test_api_rate_limit_answers_429_json_error(client, db, app):
    limit = int(app.config["API_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        client.get("/api/data")

    response = client.get("/api/data")

    assert response.status_code == 429
    assert response.get_json()["message"].startswith("Rate limit exceeded")


# --- security headers and cookies --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/api/data", "/nonexistent", "/api/nonexistent"],
    ids=["html-page", "json", "html-error", "json-error"],
)
def test_response_carries_security_headers(client, path):
    response = client.get(path)

    assert security_headers_of(response) == SECURITY_HEADERS


def test_500_response_carries_security_headers(production_like_app):
    response = production_like_app.test_client().get("/force-error")

    assert security_headers_of(response) == SECURITY_HEADERS


def test_session_cookie_is_http_only_and_samesite_lax_after_login(auth_client):
    cookie = auth_client.get_cookie("session")

    assert cookie.http_only is True
    assert cookie.same_site == "Lax"
