"""The ``flask`` commands: load-demo, create-user and init-db."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect

import webapp
from webapp.extensions import db as sqla
from webapp.models import Post, User

pytestmark = pytest.mark.integration

NEW_USER = ["create-user", "dave", "dave@example.com", "--password", "DavePass123"]


# --- load-demo ---------------------------------------------------------------------------------


def test_load_demo_adds_alice_bob_and_carol_with_their_posts(runner):
    result = runner.invoke(args=["load-demo"])

    assert "Demo data: 3 user(s) added." in result.output
    assert sorted(user.username for user in User.query.all()) == ["alice", "bob", "carol"]
    assert Post.query.count() == 9


def test_load_demo_second_run_adds_nothing(runner):
    runner.invoke(args=["load-demo"])

    result = runner.invoke(args=["load-demo"])

    assert "Demo data: 0 user(s) added." in result.output
    assert User.query.count() == 3


# --- create-user -------------------------------------------------------------------------------


def test_create_user_stores_a_non_admin_user(runner):
    result = runner.invoke(args=NEW_USER)

    assert result.exit_code == 0
    assert result.output.strip() == "Created user dave."
    user = User.query.filter_by(username="dave").one()
    assert (user.email, user.is_admin) == ("dave@example.com", False)


def test_created_user_can_log_in(runner, client):
    runner.invoke(args=NEW_USER)

    response = client.post("/login", data={"username": "dave", "password": "DavePass123"})

    assert response.headers["Location"] == "/dashboard"


def test_create_user_with_admin_flag_stores_an_admin(runner):
    result = runner.invoke(args=[*NEW_USER, "--admin"])

    assert result.output.strip() == "Created admin user dave."
    assert User.query.filter_by(username="dave").one().is_admin is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["testuser", "new@example.com"], "Username 'testuser' is already taken."),
        (["TestUser", "new@example.com"], "Username 'TestUser' is already taken."),
        (["newuser", "test@example.com"], "Email 'test@example.com' is already registered."),
        (["newuser", "TEST@Example.com"], "Email 'test@example.com' is already registered."),
    ],
    ids=["username", "username-other-case", "email", "email-other-case"],
)
def test_create_user_duplicate_fails_with_message_and_adds_no_user(runner, sample_user, args, message):
    result = runner.invoke(args=["create-user", *args, "--password", "NewPass123"])

    assert result.exit_code != 0
    assert message in result.output
    assert User.query.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A", "Password must be at least 8 characters."),
        ("alllowercase1", "Password must contain an uppercase letter."),
    ],
    ids=["too-short", "no-uppercase"],
)
def test_create_user_weak_password_is_a_usage_error(runner, password, message):
    result = runner.invoke(args=["create-user", "dave", "dave@example.com", "--password", password])

    assert result.exit_code == 2
    assert f"Error: {message}" in result.output
    assert User.query.filter_by(username="dave").count() == 0


# --- init-db on an empty database --------------------------------------------------------------


@pytest.fixture
def empty_database_app(tmp_path: Path) -> Iterator[Flask]:
    """A new app on an empty SQLite file (not the harness's database)."""
    app = webapp.create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    })
    yield app
    with app.app_context():
        sqla.session.remove()
        for engine in sqla.engines.values():
            engine.dispose()


def table_names(app: Flask) -> set[str]:
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_init_db_on_empty_database_creates_the_tables(empty_database_app):
    result = empty_database_app.test_cli_runner().invoke(args=["init-db"])

    assert result.exit_code == 0
    assert "Database is up to date." in result.output
    assert table_names(empty_database_app) == {"alembic_version", "post", "upload", "user"}


def test_init_db_twice_is_harmless(empty_database_app):
    runner = empty_database_app.test_cli_runner()
    runner.invoke(args=["init-db"])

    result = runner.invoke(args=["init-db"])

    assert result.exit_code == 0
