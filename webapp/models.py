"""Database models: users, their posts and their uploaded files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.extensions import db


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, the way the database stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    """A registered account."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session id and token issued: raising it ends them all (password change, logout).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    posts: Mapped[list[Post]] = relationship(
        back_populates="author", cascade="all, delete-orphan", order_by="Post.created_at.desc()"
    )
    uploads: WriteOnlyMapped[Upload] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password itself."""
        method = "scrypt"
        if has_app_context():
            method = current_app.config.get("PASSWORD_HASH_METHOD", method)
        self.password_hash = generate_password_hash(password, method=method)
        self.revoke_sessions()

    def revoke_sessions(self) -> None:
        """End every session, remember-me cookie and token issued to this user so far."""
        self.session_version = (self.session_version or 0) + 1

    def get_id(self) -> str:
        """Flask-Login's id for the session and remember cookie: the id and the session version."""
        return f"{self.id}:{self.session_version or 0}"

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        if not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)

    def to_dict(self) -> dict[str, Any]:
        """Public representation; the password hash is never included."""
        return {
            "id": self.id,
            "username": self.username,
            "email": self.email,
            "is_admin": bool(self.is_admin),
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Post(db.Model):
    """A blog post written by a user."""

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    is_published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    author: Mapped[User] = relationship(back_populates="posts")

    def can_be_changed_by(self, user: Any) -> bool:
        """Only the author or an admin may edit or delete a post."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return bool(user.is_admin) or user.id == self.author_id

    def to_dict(self) -> dict[str, Any]:
        """JSON representation used by the API."""
        return {
            "id": self.id,
            "title": self.title,
            "content": self.content,
            "author": self.author.username,
            "is_published": bool(self.is_published),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def __repr__(self) -> str:
        return f"<Post {self.title}>"


class Upload(db.Model):
    """A file a user uploaded; the bytes live in the upload folder under ``stored_name``."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(back_populates="uploads")

    def to_dict(self) -> dict[str, Any]:
        """JSON representation; the stored name stays private."""
        return {
            "id": self.id,
            "filename": self.original_filename,
            "size": self.size,
            "content_type": self.content_type,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
        }

    def __repr__(self) -> str:
        return f"<Upload {self.original_filename}>"
