"""Tokens: log in for an access and refresh token; trade a refresh token for a new access token."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_jwt_extended import current_user, decode_token, jwt_required
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import ExpiredSignatureError, InvalidTokenError

from webapp.api import bp
from webapp.api.helpers import json_body, text_field
from webapp.auth import limits
from webapp.auth.loaders import is_revoked
from webapp.errors import error_response
from webapp.extensions import db
from webapp.services.auth_service import authenticate, generate_refresh_token, generate_token
from webapp.users.queries import user_by_id


@bp.post("/auth/login")
@limits.per_address
@limits.per_account
def login() -> ResponseReturnValue:
    """Exchange a username (or email) and password for tokens."""
    data = json_body()
    name, password = text_field(data, "username"), data.get("password")
    if not name or not isinstance(password, str) or not password:
        return error_response(400, "Both 'username' and 'password' are required.")
    user = authenticate(name, password)
    if user is None:
        return error_response(401, "Invalid username or password.")
    return jsonify(
        access_token=generate_token(user.id),
        refresh_token=generate_refresh_token(user.id),
        token_type="Bearer",
    )


@bp.post("/auth/refresh")
def refresh() -> ResponseReturnValue:
    """Exchange the refresh token given in the JSON body for a new access token."""
    token = text_field(json_body(), "refresh_token")
    if not token:
        return error_response(400, "'refresh_token' is required.")
    try:
        claims = decode_token(token)
    except ExpiredSignatureError:
        return error_response(401, "Refresh token has expired.")
    except (InvalidTokenError, JWTExtendedException):
        return error_response(401, "Invalid refresh token.")
    if claims.get("type") != "refresh":
        return error_response(401, "That is not a refresh token.")
    user = user_by_id(claims.get("sub", ""))
    if user is None:
        return error_response(401, "The user of this token no longer exists.")
    if is_revoked(claims):
        return error_response(401, "Token has been revoked.")
    return jsonify(access_token=generate_token(user.id), token_type="Bearer")


@bp.post("/auth/logout")
@jwt_required()
def logout() -> ResponseReturnValue:
    """Revoke every token (and session) of the token's user."""
    current_user.revoke_sessions()
    db.session.commit()
    return "", 204
