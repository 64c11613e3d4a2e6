"""JWT helpers for the JSON API (flask-jwt-extended underneath)."""

from __future__ import annotations

from datetime import timedelta

from flask_jwt_extended import create_access_token, create_refresh_token


def generate_token(user_id: int, expires_in: int | None = None) -> str:
    """Return an access token for the user; ``expires_in`` seconds overrides the default lifetime.

    A negative ``expires_in`` makes a token that has already expired, which tests use.
    """
    expires = timedelta(seconds=expires_in) if expires_in is not None else None
    return create_access_token(identity=str(user_id), expires_delta=expires)


def generate_refresh_token(user_id: int) -> str:
    """Return a refresh token for the user."""
    return create_refresh_token(identity=str(user_id))
