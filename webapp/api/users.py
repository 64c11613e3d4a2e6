"""Users: who am I, create an account, count accounts, and the admin's list."""

from __future__ import annotations

from flask import abort, jsonify
from flask.typing import ResponseReturnValue
from flask_jwt_extended import current_user, jwt_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.api import bp
from webapp.api.helpers import json_body, text_field
from webapp.extensions import db
from webapp.models import User
from webapp.users.queries import email_taken, username_taken
from webapp.validation import email_error, normalize_email, password_error, username_error


@bp.get("/users/me")
@jwt_required()
def me() -> ResponseReturnValue:
    """The token's user."""
    return jsonify(current_user.to_dict())


@bp.post("/users")
@jwt_required()
def create_user() -> ResponseReturnValue:
    """Create an account for someone; without a password it cannot log in until one is set.

    Validation failures answer 400 with ``{"errors": {field: message}}``.
    """
    data = json_body()
    username = text_field(data, "username") or ""
    email = normalize_email(text_field(data, "email") or "")
    password = data.get("password")
    errors: dict[str, str] = {}
    if problem := username_error(username):
        errors["username"] = problem
    if problem := email_error(email):
        errors["email"] = problem
    if password is not None:
        if not isinstance(password, str):
            errors["password"] = "Password must be a string."
        elif problem := password_error(password):
            errors["password"] = problem
    if "username" not in errors and username_taken(username):
        errors["username"] = "Username already taken."
    if "email" not in errors and email_taken(email):
        errors["email"] = "Email already registered."
    if errors:
        return jsonify(error="Bad Request", message="Validation failed.", errors=errors), 400

    user = User(username=username, email=email)
    if password is None:
        user.password_hash = "!"  # unusable: no password matches it
    else:
        user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return jsonify(error="Conflict", message="Username or email already registered.",
                       errors={"username": "Username or email already registered."}), 409
    return jsonify(user.to_dict()), 201


@bp.get("/users/count")
def count_users() -> ResponseReturnValue:
    """How many accounts exist."""
    return jsonify(count=db.session.scalar(select(func.count(User.id))) or 0)


@bp.get("/admin/users")
@jwt_required()
def admin_list_users() -> ResponseReturnValue:
    """Every account, for administrators only."""
    if not current_user.is_admin:
        abort(403, "Administrator rights are required.")
    users = db.session.scalars(select(User).order_by(User.id)).all()
    return jsonify(items=[user.to_dict() for user in users], total=len(users))
