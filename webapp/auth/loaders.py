"""How Flask-Login and flask-jwt-extended find users and word their refusals."""

from __future__ import annotations

from flask import Flask
from flask_jwt_extended import JWTManager

from webapp.errors import error_response
from webapp.extensions import jwt, login_manager
from webapp.models import User
from webapp.users.queries import user_by_id, user_by_session_id


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user from the id kept in the session or remember cookie, unless revoked."""
    return user_by_session_id(user_id)


SESSION_VERSION_CLAIM = "sv"


def is_revoked(claims: dict) -> bool:
    """Whether a token was issued before its user's sessions were last revoked."""
    user = user_by_id(claims.get("sub", ""))
    return user is not None and claims.get(SESSION_VERSION_CLAIM) != user.session_version


def register(app: Flask) -> None:
    """Attach the JWT callbacks; they answer with the API's error shape."""
    _configure_jwt(jwt)


def _configure_jwt(manager: JWTManager) -> None:
    @manager.additional_claims_loader
    def _session_version(identity: str) -> dict:
        user = user_by_id(identity)
        return {SESSION_VERSION_CLAIM: user.session_version} if user is not None else {}

    @manager.token_in_blocklist_loader
    def _is_revoked(_header: dict, payload: dict) -> bool:
        return is_revoked(payload)

    @manager.user_lookup_loader
    def _lookup(_header: dict, payload: dict) -> User | None:
        return user_by_id(payload.get("sub", ""))

    @manager.user_lookup_error_loader
    def _user_gone(_header: dict, _payload: dict):
        return error_response(401, "The user of this token no longer exists.")

    @manager.unauthorized_loader
    def _missing(reason: str):
        return error_response(401, f"Authentication required: {reason}.")

    @manager.invalid_token_loader
    def _invalid(reason: str):
        return error_response(401, f"Invalid token: {reason}.")

    @manager.expired_token_loader
    def _expired(_header: dict, _payload: dict):
        return error_response(401, "Token has expired.")

    @manager.revoked_token_loader
    def _revoked(_header: dict, _payload: dict):
        return error_response(401, "Token has been revoked.")

    @manager.needs_fresh_token_loader
    def _stale(_header: dict, _payload: dict):
        return error_response(401, "A fresh token is required.")
