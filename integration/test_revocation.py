"""Revocation: a password change or a logout ends the sessions, remember cookies and tokens issued before."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.models import User

pytestmark = pytest.mark.integration

CREDENTIALS = {"username": "testuser", "password": "password123"}
NEW_PASSWORD = "NewPassword123"


def change_password(client: FlaskClient) -> None:
    response = client.post("/settings", data={
        "action": "password",
        "password-current_password": CREDENTIALS["password"],
        "password-new_password": NEW_PASSWORD,
        "password-confirm_password": NEW_PASSWORD,
    })
    assert response.status_code == 302, "changing the password failed"


@pytest.fixture
def new_client(app: Flask) -> Callable[[], FlaskClient]:
    """Open another test client (another browser)."""
    return app.test_client


@pytest.fixture
def other_session(new_client, sample_user: User) -> FlaskClient:
    """A second browser logged in as sample_user."""
    client = new_client()
    assert client.post("/login", data=CREDENTIALS).status_code == 302
    return client


@pytest.fixture
def remember_cookie(new_client, sample_user: User) -> str:
    """The remember-me cookie a login with "Remember me" gave another browser."""
    client = new_client()
    client.post("/login", data={**CREDENTIALS, "remember": "y"})
    return client.get_cookie("remember_token").value


@pytest.fixture
def tokens(client: FlaskClient, sample_user: User) -> dict[str, str]:
    """The access and refresh tokens /api/auth/login gives sample_user."""
    return client.post("/api/auth/login", json=CREDENTIALS).get_json()


def browser_with_only(new_client, remember: str) -> FlaskClient:
    """A browser whose session has gone, holding only the remember-me cookie."""
    client = new_client()
    client.set_cookie("remember_token", remember)
    return client


def test_remember_cookie_logs_in_a_new_browser(new_client, remember_cookie: str) -> None:
    response = browser_with_only(new_client, remember_cookie).get("/dashboard")

    assert response.status_code == 200


def test_password_change_ends_the_other_sessions(auth_client: FlaskClient, other_session: FlaskClient) -> None:
    change_password(auth_client)

    response = other_session.get("/dashboard")

    assert response.status_code == 302


def test_password_change_keeps_the_session_that_made_it(auth_client: FlaskClient) -> None:
    change_password(auth_client)

    response = auth_client.get("/dashboard")

    assert response.status_code == 200


def test_password_change_revokes_remember_cookies(auth_client, new_client, remember_cookie: str) -> None:
    change_password(auth_client)

    response = browser_with_only(new_client, remember_cookie).get("/dashboard")

    assert response.status_code == 302


def test_password_change_revokes_refresh_tokens(auth_client: FlaskClient, new_client, tokens: dict) -> None:
    change_password(auth_client)

    response = new_client().post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert response.status_code == 401
    assert response.get_json()["message"] == "Token has been revoked."


def test_password_change_revokes_access_tokens(auth_client: FlaskClient, new_client, tokens: dict) -> None:
    change_password(auth_client)

    response = new_client().get("/api/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert response.status_code == 401
    assert response.get_json()["message"] == "Token has been revoked."


def test_logout_revokes_remember_cookies(auth_client: FlaskClient, new_client, remember_cookie: str) -> None:
    auth_client.post("/logout")

    response = browser_with_only(new_client, remember_cookie).get("/dashboard")

    assert response.status_code == 302


def test_logout_revokes_refresh_tokens(auth_client: FlaskClient, new_client, tokens: dict) -> None:
    auth_client.post("/logout")

    response = new_client().post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert response.status_code == 401


def test_api_logout_revokes_the_refresh_token(client: FlaskClient, new_client, tokens: dict) -> None:
    client.post("/api/auth/logout", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    response = new_client().post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert response.status_code == 401


def test_api_logout_answers_204(client: FlaskClient, tokens: dict) -> None:
    response = client.post("/api/auth/logout", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert response.status_code == 204


def test_new_login_after_a_password_change_works(auth_client: FlaskClient, new_client) -> None:
    change_password(auth_client)

    response = new_client().post("/login", data={"username": "testuser", "password": NEW_PASSWORD})

    assert response.status_code == 302
