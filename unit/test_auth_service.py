"""Credentials and JWT access tokens in webapp.services.auth_service."""

from __future__ import annotations

import flask
import jwt
import pytest
from flask_jwt_extended import decode_token

from webapp.models import User
from webapp.services import auth_service
from webapp.services.auth_service import authenticate, generate_token

pytestmark = pytest.mark.unit


def test_token_identity_is_user_id_as_string(app_context: flask.Flask) -> None:
    claims = decode_token(generate_token(42))

    assert claims["sub"] == "42"


def test_expires_in_sets_token_lifetime_in_seconds(app_context: flask.Flask) -> None:
    claims = decode_token(generate_token(42, expires_in=60))

    assert claims["exp"] - claims["iat"] == 60


def test_token_without_expires_in_uses_configured_lifetime(app_context: flask.Flask) -> None:
    claims = decode_token(generate_token(42))

    assert claims["exp"] - claims["iat"] == 15 * 60


def test_negative_expires_in_makes_expired_token(app_context: flask.Flask) -> None:
    token = generate_token(42, expires_in=-1)

    with pytest.raises(jwt.ExpiredSignatureError):
        decode_token(token)


def test_login_checks_a_known_users_password_through_the_model(
    app_context: flask.Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = User(username="alice")
    user.set_password("Secret123")
    monkeypatch.setattr(auth_service, "user_by_login", lambda name: user if name == "alice" else None)
    calls: list[str] = []

    def refuse(self: User, password: str) -> bool:
        calls.append(password)
        return False

    monkeypatch.setattr(User, "check_password", refuse)

    assert authenticate("alice", "Secret123") is None
    assert calls == ["Secret123"]
