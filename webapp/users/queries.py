"""Reading users, shared by the HTML views, the JSON API, the CLI and the login loaders."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from webapp.extensions import db
from webapp.models import User
from webapp.validation import normalize_email
from webapp.web.routing import parse_id


def user_by_id(value: object) -> User | None:
    """The user a session or token subject names; None when it names no user or no valid id."""
    user_id = parse_id(value)
    return db.session.get(User, user_id) if user_id is not None else None


def user_by_session_id(session_id: str) -> User | None:
    """The user a Flask-Login id (``<id>:<session version>``) names, if that version is still current."""
    user_id, _, version = session_id.partition(":")
    user = user_by_id(user_id)
    return user if user is not None and version == str(user.session_version) else None


def user_by_username(username: str) -> User | None:
    """The user with exactly this username."""
    return db.session.scalar(select(User).filter_by(username=username))


def user_by_login(name: str) -> User | None:
    """The user a login form names, by username or by email address."""
    return db.session.scalar(
        select(User).where(or_(User.username == name, User.email == normalize_email(name)))
    )


def username_taken(username: str, *, except_id: int | None = None) -> bool:
    """Whether another account has this username, whatever its case."""
    query = select(User.id).where(func.lower(User.username) == username.lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def email_taken(email: str, *, except_id: int | None = None) -> bool:
    """Whether another account has this email address (compared normalized)."""
    query = select(User.id).where(User.email == normalize_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query.limit(1)) is not None
