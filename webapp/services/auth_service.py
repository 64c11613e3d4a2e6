"""Authentication: checking credentials, and the JWT helpers of the JSON API."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models import User
from webapp.users.queries import user_by_login


def authenticate(name: str, password: str) -> User | None:
    """The user a username (or email) and password identify, or None.

    Unknown names cost one password-hash check too, so the answer's timing does not tell an
    attacker which accounts exist.
    """
    user = user_by_login(name)
    if user is None or not has_usable_password(user):
        check_password_hash(dummy_password_hash(), password)
        return None
    return user if user.check_password(password) else None


def has_usable_password(user: User) -> bool:
    """Whether the stored hash is a real one (accounts created without a password store "!")."""
    return (user.password_hash or "").count("$") >= 2


def dummy_password_hash() -> str:
    """A hash of a random password, made once per app with the configured method and cost."""
    cache = current_app.extensions
    if "dummy_password_hash" not in cache:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        cache["dummy_password_hash"] = generate_password_hash(secrets.token_hex(16), method=method)
    return cache["dummy_password_hash"]


def generate_token(user_id: int, expires_in: int | None = None) -> str:
    """Return an access token for the user; ``expires_in`` seconds overrides the default lifetime.

    A negative ``expires_in`` makes a token that has already expired, which tests use.
    """
    expires = timedelta(seconds=expires_in) if expires_in is not None else None
    return create_access_token(identity=str(user_id), expires_delta=expires)


def generate_refresh_token(user_id: int) -> str:
    """Return a refresh token for the user."""
    return create_refresh_token(identity=str(user_id))
