"""Factories for User, Post and Upload.

Sessions come from ``db.session`` at creation time, so inside the harness's ``db`` fixture the rows
join the test's transaction (and are visible to a live server sharing it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import factory
import factory.random
from factory.alchemy import SQLAlchemyModelFactory
from flask import current_app

from webapp.extensions import db
from webapp.files import content_type_for, stored_name_for
from webapp.models import Post, Upload, User

DEFAULT_PASSWORD = "password123"


def reseed(key: str) -> None:
    """Seed factory_boy's and Faker's randomness from a key (a test id): same test, same data."""
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    factory.random.reseed_random(seed)


class BaseFactory(SQLAlchemyModelFactory):
    """Binds every factory to the current ``db.session`` and commits what it creates."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    """A user; the password (``password123`` unless given) is hashed after generation."""

    class Meta:
        model = User
        sqlalchemy_session_persistence = "flush"

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_admin = False
    password_hash = "!"  # unusable until the post-generation hook below sets the password

    @factory.post_generation
    def password(user: User, create: bool, extracted: str | None, **_: Any) -> None:
        user.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            db.session.commit()


class PostFactory(BaseFactory):
    """A published post by a new user unless ``author`` is given."""

    class Meta:
        model = Post

    title = factory.Faker("sentence", nb_words=5)
    content = factory.Faker("paragraph", nb_sentences=4)
    author = factory.SubFactory(UserFactory)
    is_published = True


class UploadFactory(BaseFactory):
    """An upload whose bytes (``content``) are written to the app's upload folder on create."""

    class Meta:
        model = Upload

    owner = factory.SubFactory(UserFactory)
    original_filename = factory.Sequence(lambda n: f"notes-{n}.txt")
    content = factory.LazyAttribute(lambda upload: f"Notes for {upload.original_filename}\n".encode())
    stored_name = factory.LazyAttribute(lambda upload: stored_name_for(upload.original_filename))
    size = factory.LazyAttribute(lambda upload: len(upload.content))
    content_type = factory.LazyAttribute(lambda upload: content_type_for(upload.original_filename))
    description = factory.Faker("sentence", nb_words=4)

    @classmethod
    def _build(cls, model_class: type[Upload], *args: Any, **kwargs: Any) -> Upload:
        kwargs.pop("content")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class: type[Upload], *args: Any, **kwargs: Any) -> Upload:
        content: bytes = kwargs.pop("content")
        upload = super()._create(model_class, *args, **kwargs)
        folder = Path(current_app.config["UPLOAD_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / upload.stored_name).write_bytes(content)
        return upload
