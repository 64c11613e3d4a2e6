"""JWT authentication of the JSON API: tokens, refresh, refusals and the admin-only endpoint."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factories import UserFactory
from webapp.models import User
from webapp.services.auth_service import generate_token

pytestmark = pytest.mark.integration

CREDENTIALS = {"username": "testuser", "password": "password123"}


def bearer(token: str) -> dict[str, str]:
    """Headers carrying a token the way API clients send it."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def login_tokens(client: FlaskClient, sample_user: User) -> dict[str, str]:
    """The access and refresh tokens that /api/auth/login gives sample_user."""
    return client.post("/api/auth/login", json=CREDENTIALS).get_json()


class TestJWTAuth:
    """The seed's TestJWTAuth, one to one, plus the refusals around it."""

    def test_login_with_valid_credentials_returns_both_tokens(
        self, client: FlaskClient, sample_user: User
    ) -> None:
        response = client.post("/api/auth/login", json=CREDENTIALS)

        assert response.status_code == 200
        data = response.get_json()
        assert "access_token" in data
        assert "refresh_token" in data

    def test_login_with_invalid_credentials_returns_401(self, client: FlaskClient, sample_user: User) -> None:
        response = client.post("/api/auth/login", json={"username": "testuser", "password": "wrong"})

        assert response.status_code == 401
        assert "access_token" not in response.get_json()

    @pytest.mark.parametrize(
        "body",
        [{"username": "testuser"}, {"password": "password123"}],
        ids=["no-password", "no-username"],
    )
    def test_login_with_missing_fields_returns_400(
        self, client: FlaskClient, sample_user: User, body: dict[str, str]
    ) -> None:
        response = client.post("/api/auth/login", json=body)

        assert response.status_code == 400
        assert "required" in response.get_json()["message"]

    def test_users_me_with_token_returns_the_tokens_user(
        self, client: FlaskClient, auth_headers: dict[str, str]
    ) -> None:
        response = client.get("/api/users/me", headers=auth_headers)

        assert response.status_code == 200
        assert response.get_json()["username"] == "testuser"

    def test_users_me_without_token_returns_401_json_with_message(self, client: FlaskClient) -> None:
        response = client.get("/api/users/me")

        assert response.status_code == 401
        assert "message" in response.get_json()

    def test_users_me_with_expired_token_returns_401(self, client: FlaskClient, sample_user: User) -> None:
        token = generate_token(sample_user.id, expires_in=-1)

        response = client.get("/api/users/me", headers=bearer(token))

        assert response.status_code == 401
        assert response.get_json()["message"] == "Token has expired."

    def test_users_me_with_malformed_token_returns_401(self, client: FlaskClient, sample_user: User) -> None:
        response = client.get("/api/users/me", headers=bearer("not-a-jwt"))

        assert response.status_code == 401

    def test_refresh_returns_access_token_that_works(
        self, client: FlaskClient, login_tokens: dict[str, str]
    ) -> None:
        response = client.post("/api/auth/refresh", json={"refresh_token": login_tokens["refresh_token"]})

        assert response.status_code == 200
        me = client.get("/api/users/me", headers=bearer(response.get_json()["access_token"]))
        assert me.get_json()["username"] == "testuser"

    def test_refresh_with_access_token_returns_401(
        self, client: FlaskClient, login_tokens: dict[str, str]
    ) -> None:
        response = client.post("/api/auth/refresh", json={"refresh_token": login_tokens["access_token"]})

        assert response.status_code == 401

    def test_refresh_without_refresh_token_returns_400(self, client: FlaskClient) -> None:
        response = client.post("/api/auth/refresh", json={})

        assert response.status_code == 400
        assert "refresh_token" in response.get_json()["message"]

    def test_token_of_deleted_user_returns_401(self, client: FlaskClient, db) -> None:
        user = UserFactory()
        token = generate_token(user.id)
        db.session.delete(user)
        db.session.commit()

        response = client.get("/api/users/me", headers=bearer(token))

        assert response.status_code == 401
        assert response.get_json()["message"] == "The user of this token no longer exists."

    def test_admin_users_as_regular_user_returns_403_json(
        self, client: FlaskClient, auth_headers: dict[str, str]
    ) -> None:
        response = client.get("/api/admin/users", headers=auth_headers)

        assert response.status_code == 403
        assert response.get_json()["error"] == "Forbidden"

    def test_admin_users_as_admin_lists_every_user_without_passwords(
        self, client: FlaskClient, admin_headers: dict[str, str], admin_user: User, sample_user: User
    ) -> None:
        others = UserFactory.create_batch(2)

        response = client.get("/api/admin/users", headers=admin_headers)

        assert response.status_code == 200
        items = response.get_json()["items"]
        assert {item["username"] for item in items} == {"admin", "testuser", *(u.username for u in others)}
        assert [key for item in items for key in item if "password" in key] == []

    def test_login_over_rate_limit_returns_429_json(
        self, app: Flask, client: FlaskClient, sample_user: User, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
        for _ in range(3):
            client.post("/api/auth/login", json=CREDENTIALS)

        response = client.post("/api/auth/login", json=CREDENTIALS)

        assert response.status_code == 429
        assert "rate limit" in response.get_json()["message"].lower()
