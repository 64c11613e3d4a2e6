"""Model behaviour on unsaved instances: passwords, permissions and JSON shapes (no database)."""

from __future__ import annotations

from datetime import datetime
from unittest.mock import patch

import flask
import pytest
from flask_login import AnonymousUserMixin

from webapp.models import Post, Upload, User

pytestmark = pytest.mark.unit

CREATED = datetime(2024, 1, 2, 3, 4, 5)
UPDATED = datetime(2024, 1, 3, 8, 0, 0)
AUTHOR_ID = 7


def test_set_password_stores_hash_made_with_configured_method(app_context: flask.Flask) -> None:
    user = User(username="alice")

    user.set_password("Secret123")

    assert user.password_hash.startswith("pbkdf2:sha256:1000$")


def test_set_password_outside_app_defaults_to_scrypt() -> None:
    user = User(username="alice")

    with patch("webapp.models.generate_password_hash", return_value="hashed") as hasher:
        user.set_password("Secret123")

    hasher.assert_called_once_with("Secret123", method="scrypt")


def test_check_password_accepts_the_password_that_was_set(app_context: flask.Flask) -> None:
    user = User(username="alice")
    user.set_password("Secret123")

    assert user.check_password("Secret123") is True


def test_check_password_rejects_a_different_password(app_context: flask.Flask) -> None:
    user = User(username="alice")
    user.set_password("Secret123")

    assert user.check_password("secret123") is False


def test_check_password_is_false_when_no_hash_is_stored() -> None:
    user = User(username="alice", password_hash=None)

    assert user.check_password("") is False


def test_user_to_dict_is_public_fields_without_password_hash() -> None:
    user = User(id=1, username="alice", email="alice@example.com", password_hash="pbkdf2:secret",
                is_admin=None, created_at=CREATED)

    assert user.to_dict() == {
        "id": 1,
        "username": "alice",
        "email": "alice@example.com",
        "is_admin": False,
        "created_at": "2024-01-02T03:04:05",
    }


def test_user_repr_names_the_username() -> None:
    assert repr(User(username="alice")) == "<User alice>"



@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (None, False),
        (AnonymousUserMixin(), False),
        (User(id=AUTHOR_ID, is_admin=False), True),
        (User(id=8, is_admin=False), False),
        (User(id=9, is_admin=True), True),
    ],
    ids=["nobody", "anonymous", "author", "other-user", "admin"],
)
def test_only_author_or_admin_may_change_post(user: object, expected: bool) -> None:
    post = Post(author_id=AUTHOR_ID)

    assert post.can_be_changed_by(user) is expected


def test_post_to_dict_names_author_and_formats_dates() -> None:
    post = Post(id=3, title="Hello", content="Body", is_published=False,
                author=User(username="alice"), created_at=CREATED, updated_at=UPDATED)

    assert post.to_dict() == {
        "id": 3,
        "title": "Hello",
        "content": "Body",
        "author": "alice",
        "is_published": False,
        "created_at": "2024-01-02T03:04:05",
        "updated_at": "2024-01-03T08:00:00",
    }


def test_upload_to_dict_keeps_stored_name_private() -> None:
    upload = Upload(id=5, original_filename="notes.txt", stored_name="0123abcd.txt", size=42,
                    content_type="text/plain", description="Meeting notes", created_at=CREATED)

    assert upload.to_dict() == {
        "id": 5,
        "filename": "notes.txt",
        "size": 42,
        "content_type": "text/plain",
        "description": "Meeting notes",
        "created_at": "2024-01-02T03:04:05",
    }
